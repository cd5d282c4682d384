import type { Conn, Db, Tx } from '$lib/server/db';
import { transaction } from '$lib/server/db/transaction';
import { cleanOptionalLine, cleanText } from '$lib/shared/clean-text';
import * as notify from '$lib/server/notifications/events';
import * as audit from '$lib/server/audit';
import { addEvent, displayNameOf } from '$lib/server/tickets';
import * as recipients from '$lib/server/recipients';
import { publicId } from '$lib/server/tokens';
import type { Thread } from './conversation';

/**
 * Resolves a recipient-scoped thread token. Unknown, malformed, re-issued and revoked tokens all
 * give undefined, and callers answer them with the same 404.
 */
export async function findByToken(
	db: Conn,
	secret: Uint8Array,
	token: string
): Promise<Thread | undefined> {
	const recipient = await recipients.findByToken(db, secret, 'thread', token);
	return recipient ? threadOf(db, recipient) : undefined;
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

export { conversation, type Thread } from './conversation';
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
