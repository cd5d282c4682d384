import type { Conn, Db, Tx } from '$lib/server/db';
import { sql } from 'kysely';
import { transaction } from '$lib/server/db/transaction';
import { cleanOptionalLine, cleanText } from '$lib/shared/clean-text';
import * as notify from '$lib/server/notifications/events';
import * as audit from '$lib/server/audit';
import { addEvent, displayNameOf } from '$lib/server/tickets';
import * as recipients from '$lib/server/recipients';
import { publicId, selectorOf } from '$lib/server/tokens';
import type { Project, Recipient, Ticket } from '$lib/server/db/schema';
import type { PollMarks, Thread, ThreadRef } from './conversation';

// Every column of a recipient, a ticket and a project, for the one-statement token lookup below
// (ticket and project columns come back prefixed, `t__title`). A name that is no column does not
// compile; threads.spec.ts compares the lists with the tables on SQLite and PostgreSQL, so a
// column a migration adds must be added here.
export const RECIPIENT_COLUMNS = [
	'id',
	'ticket_id',
	'public_id',
	'email',
	'name',
	'role',
	'channel',
	'token_version',
	'unsubscribed_at',
	'revoked_at',
	'created_at',
	'seen_at',
	'locale'
] as const satisfies readonly (keyof Recipient)[];
export const TICKET_COLUMNS = [
	'id',
	'thread_key',
	'project_id',
	'ticket_type_id',
	'template_id',
	'title',
	'description',
	'status',
	'source',
	'reporter_email',
	'reporter_name',
	'discord_user_id',
	'discord_display_name',
	'customer_id',
	'custom_fields',
	'custom_fields_schema',
	'created_at',
	'updated_at',
	'last_activity_at',
	'resolved_at',
	'assignee_id'
] as const satisfies readonly (keyof Ticket)[];
export const PROJECT_COLUMNS = [
	'id',
	'key',
	'name',
	'description',
	'default_ticket_type_id',
	'enforced_template_id',
	'anonymous_creation',
	'portal_enabled',
	'created_at',
	'updated_at',
	'mail_alias',
	'auto_close_days',
	'csat_enabled',
	'pow_mode',
	'default_locale',
	'locales',
	'round_robin_last',
	'form_generation'
] as const satisfies readonly (keyof Project)[];

const parts = [
	['r', 'r__', RECIPIENT_COLUMNS],
	['t', 't__', TICKET_COLUMNS],
	['p', 'p__', PROJECT_COLUMNS]
] as const;
// Written once: Kysely's builder parsed the 51 aliased columns again on every call, which cost
// more than the two statements it saved. Quoted identifiers read the same on both dialects.
const THREAD_SELECT = sql.raw(
	parts
		.flatMap(([table, prefix, cols]) => cols.map((c) => `"${table}"."${c}" AS "${prefix}${c}"`))
		.join(', ')
);

const aliases = (prefix: string, cols: readonly string[]) => cols.map((c) => [c, prefix + c]);
const [RECIPIENT, TICKET, PROJECT] = parts.map(([, prefix, cols]) => aliases(prefix, cols));

function pick<T>(row: Record<string, unknown>, cols: string[][]): T {
	const out: Record<string, unknown> = {};
	for (const [name, alias] of cols) out[name] = row[alias];
	return out as T;
}

/**
 * Resolves a recipient-scoped thread token. Unknown, malformed, re-issued and revoked tokens all
 * give undefined, and callers answer them with the same 404.
 *
 * One statement for the recipient, their ticket and its project (the thread page, its poll,
 * replies and downloads all start here) instead of three lookups by key.
 */
export async function findByToken(
	db: Conn,
	secret: Uint8Array,
	token: string
): Promise<Thread | undefined> {
	const selector = selectorOf(token);
	if (!selector) return undefined;
	const { rows } = await sql<Record<string, unknown>>`
		SELECT ${THREAD_SELECT}
		FROM ticket_recipients r
		JOIN tickets t ON t.id = r.ticket_id
		JOIN projects p ON p.id = t.project_id
		WHERE r.public_id = ${selector}`.execute(db);
	if (!rows[0]) return undefined;
	const recipient = pick<Recipient>(rows[0], RECIPIENT);
	if (!recipients.tokenOpens(secret, 'thread', token, recipient)) return undefined;
	return {
		recipient,
		ticket: pick<Ticket>(rows[0], TICKET),
		project: pick<Project>(rows[0], PROJECT)
	};
}

interface PollRow extends Pick<Recipient, 'token_version' | 'revoked_at'> {
	recipientId: number;
	ticketId: number;
	status: Ticket['status'];
	latestId: number | null;
	cursorId: number | null;
}

/**
 * The token lookup of the thread page's poll: only what the poll reads (the recipient's id and
 * link state, the ticket's id and status) and its marks, in one statement, so that "nothing new"
 * (the poll's usual answer, every few seconds from every open page) costs one small statement.
 * The same tokens open here as in `findByToken`.
 */
export async function findForPoll(
	db: Conn,
	secret: Uint8Array,
	token: string,
	cursorMessage: string | null
): Promise<{ thread: ThreadRef; marks: PollMarks } | undefined> {
	const selector = selectorOf(token);
	if (!selector) return undefined;
	// Written as SQL: the builder's compilation cost more than this statement takes to run.
	const { rows } = await sql<PollRow>`
		SELECT r.id AS "recipientId", r.token_version, r.revoked_at, t.id AS "ticketId", t.status,
			(SELECT m.id FROM messages m WHERE m.ticket_id = t.id AND m.visibility = 'public'
				ORDER BY m.id DESC LIMIT 1) AS "latestId",
			(SELECT m.id FROM messages m WHERE m.ticket_id = t.id AND m.visibility = 'public'
				AND m.public_id = ${cursorMessage ?? ''}) AS "cursorId"
		FROM ticket_recipients r
		JOIN tickets t ON t.id = r.ticket_id
		WHERE r.public_id = ${selector}`.execute(db);
	const row = rows[0];
	if (!row || !recipients.tokenOpens(secret, 'thread', token, row)) return undefined;
	return {
		thread: {
			recipient: { id: row.recipientId },
			ticket: { id: row.ticketId, status: row.status }
		},
		marks: { latestId: row.latestId ?? null, cursorId: row.cursorId ?? null }
	};
}

/** The thread a recipient belongs to (their ticket and its project). */
export async function threadOf(db: Conn, recipient: Thread['recipient']): Promise<Thread> {
	const ticket = await db
		.selectFrom('tickets')
		.selectAll()
		.where('id', '=', recipient.ticket_id)
		.executeTakeFirstOrThrow();
	const project = await db
		.selectFrom('projects')
		.selectAll()
		.where('id', '=', ticket.project_id)
		.executeTakeFirstOrThrow();
	return { recipient, ticket, project };
}

export { conversation, type PollMarks, type Thread, type ThreadRef } from './conversation';
export { changesSince, cursorOf, decodeCursor } from './live';

export interface Reply {
	body: string;
	/** The name the recipient chose; ignored for Discord reporters (identity fixed by the link). */
	name?: string | null;
	/** The language the recipient used for this reply; kept for their later mail. */
	locale?: string | null;
	/** Runs inside the reply transaction after the message row exists (e.g. attachment rows). */
	within?: (tx: Tx, created: { messageId: number }) => Promise<void>;
}

/**
 * Adds a public reply from the link holder. A reply on a resolved or rejected ticket reopens it
 * and records a "Reopened" event, in the same transaction.
 */
export async function reply(db: Db, thread: Thread, input: Reply, now = Date.now()) {
	return transaction(db, async (tx) => {
		let recipient = thread.recipient;
		const fixedIdentity = thread.ticket.source === 'discord' && recipient.role === 'reporter';
		const name = cleanOptionalLine(input.name);
		const rename = !fixedIdentity && name !== null && name !== recipient.name;
		const relocale = !!input.locale && input.locale !== recipient.locale;
		if (rename || relocale) {
			recipient = await tx
				.updateTable('ticket_recipients')
				.set({ ...(rename ? { name } : {}), ...(relocale ? { locale: input.locale } : {}) })
				.where('id', '=', recipient.id)
				.returningAll()
				.executeTakeFirstOrThrow();
		}
		const message = await tx
			.insertInto('messages')
			.values({
				public_id: publicId(),
				ticket_id: thread.ticket.id,
				author_recipient_id: recipient.id,
				author_name: displayNameOf(recipient, thread.ticket),
				body: cleanText(input.body),
				event: null,
				created_at: now
			})
			.returningAll()
			.executeTakeFirstOrThrow();
		await input.within?.(tx, { messageId: message.id });
		const reopened = thread.ticket.status === 'resolved' || thread.ticket.status === 'rejected';
		// One notice per recipient that says "replied, and the ticket is open again".
		await notify.recipientReplied(tx, {
			ticketId: thread.ticket.id,
			messageId: message.id,
			authorRecipientId: recipient.id,
			reopened
		});
		await tx
			.updateTable('tickets')
			.set({
				last_activity_at: now,
				updated_at: now,
				...(reopened ? { status: 'open' as const, resolved_at: null } : {})
			})
			.where('id', '=', thread.ticket.id)
			.execute();
		if (reopened) {
			await addEvent(tx, { ticketId: thread.ticket.id, name: 'reopened' }, now);
			await audit.record(
				tx,
				{
					ticketId: thread.ticket.id,
					actor: { kind: 'recipient', id: recipient.id },
					action: 'ticket.reopened',
					data: { from: thread.ticket.status }
				},
				now
			);
		}
		return { message, reopened, recipient };
	});
}
