import { sql } from 'kysely';
import * as audit from '$lib/server/audit';
import type { ActorKind } from '$lib/server/audit';
import type { Conn, Db, Tx } from '$lib/server/db';
import { transaction } from '$lib/server/db/transaction';
import { randomToken } from '$lib/server/tokens';
import { tablesWith, textColumns } from './columns';
import { scrubColumns, type Replacement } from './scrub';
import { findSubject, theirFiles } from './subject';

/** What an erasure would touch, for the confirmation step. */
export interface ErasurePreview {
	tickets: number;
	messages: number;
	files: number;
}

/** What an erasure changed (counts only: the audit row and the logs carry nothing else). */
export interface ErasureSummary extends ErasurePreview {
	recipients: number;
	customers: number;
	cancelledMails: number;
	sessions: number;
	/** Values of free text (bodies, titles, payloads …) where the address or a name was replaced. */
	textValues: number;
}

/**
 * Ends a person's portal sessions inside the erasure's transaction; returns how many. A Discord
 * user is erased by their synthetic address (`<id>@users.discord.invalid`), with `discordUserId`.
 */
export type EndSessions = (
	tx: Tx,
	who: { email: string; discordUserId: string | null }
) => Promise<number>;

const DISCORD_ADDRESS = /^(\d{5,25})@users\.discord\.invalid$/;

export interface ErasureResult {
	summary: ErasureSummary;
	/** Storage keys of the person's files: remove them once the transaction has committed. */
	storageKeys: string[];
}

// Staff accounts, their invitations and sessions are the staff's own data, not a reporter's.
const NOT_THEIRS = new Set(['staff_users', 'setup_tokens', 'sessions', 'schema_migrations']);

/** Counts what erasing `email` would change. */
export async function preview(db: Conn, email: string): Promise<ErasurePreview> {
	const subject = await findSubject(db, email);
	const recipientIds = subject.recipients.map((r) => r.id);
	const messages = recipientIds.length
		? await db
				.selectFrom('messages')
				.select(db.fn.countAll<number>().as('n'))
				.where('author_recipient_id', 'in', recipientIds)
				.executeTakeFirstOrThrow()
		: { n: 0 };
	return {
		tickets: subject.ticketIds.length,
		messages: Number(messages.n),
		files: (await theirFiles(db, subject)).length
	};
}

/**
 * Erases a person in one transaction: on every row that names them, the address and name become
 * a placeholder (`Erased person #…`, an `.invalid` address that can never be mailed); their links
 * are revoked and re-versioned (old thread, unsubscribe and reply links 404), mail still queued
 * for them is cancelled, their portal sessions end and the rows of their files are deleted; the
 * address and their names are replaced in the free text of their tickets, and the address in every
 * text column of the database. Tickets stay with their conversation. Returns the storage keys to
 * remove after the commit (a crash before that leaves files no row names: the orphan sweep's).
 */
export async function erase(
	db: Db,
	email: string,
	options: { actor: { kind: ActorKind; id: number | null }; endSessions?: EndSessions },
	now = Date.now()
): Promise<ErasureResult> {
	return transaction(db, async (tx) => {
		const subject = await findSubject(tx, email);
		const tag = randomToken(5);
		const placeholder = { name: `Erased person #${tag}`, email: `erased-${tag}@erased.invalid` };
		const recipientIds = subject.recipients.map((r) => r.id);

		const files = await theirFiles(tx, subject);
		if (files.length)
			await tx
				.deleteFrom('attachments')
				.where(
					'id',
					'in',
					files.map((f) => f.id)
				)
				.execute();
		const storageKeys = files.flatMap((f) =>
			[f.storage_key, f.display_key, f.thumbnail_key].filter((k): k is string => !!k)
		);

		// One row per ticket and address: a second row of the same person on one ticket (another
		// letter case) gets its own placeholder so the (ticket, email) key stays unique.
		const seen = new Map<number, number>();
		for (const r of subject.recipients) {
			const n = (seen.get(r.ticket_id) ?? 0) + 1;
			seen.set(r.ticket_id, n);
			const address = n === 1 ? placeholder.email : `erased-${tag}+${n}@erased.invalid`;
			await tx
				.updateTable('ticket_recipients')
				.set({
					email: address,
					name: placeholder.name,
					token_version: sql<number>`token_version + 1`,
					revoked_at: sql<number>`coalesce(revoked_at, ${now})`,
					unsubscribed_at: sql<number>`coalesce(unsubscribed_at, ${now})`
				})
				.where('id', '=', r.id)
				.execute();
		}

		const messages = recipientIds.length
			? await tx
					.updateTable('messages')
					.set({ author_name: placeholder.name })
					.where('author_recipient_id', 'in', recipientIds)
					.executeTakeFirst()
			: { numUpdatedRows: 0n };
		await tx
			.updateTable('tickets')
			.set({
				reporter_email: placeholder.email,
				reporter_name: sql<
					string | null
				>`case when reporter_name is null then null else ${placeholder.name} end`,
				discord_user_id: null,
				discord_display_name: sql<
					string | null
				>`case when discord_display_name is null then null else ${placeholder.name} end`
			})
			.where(sql<string>`lower(reporter_email)`, '=', subject.email)
			.execute();
		if (subject.customerIds.length)
			await tx
				.updateTable('customers')
				.set({ name: placeholder.name, email: placeholder.email })
				.where('id', 'in', subject.customerIds)
				.execute();
		const cancelled = recipientIds.length
			? await tx
					.updateTable('outbound_emails')
					.set({ status: 'cancelled', last_error: 'the recipient’s data was erased' })
					.where('recipient_id', 'in', recipientIds)
					.where('status', '=', 'pending')
					.executeTakeFirst()
			: { numUpdatedRows: 0n };
		const discordUserId = DISCORD_ADDRESS.exec(subject.email)?.[1] ?? null;
		if (discordUserId) {
			// A Discord user: their unfinished /ticket forms, and their id on tickets they opened.
			await tx
				.deleteFrom('discord_sessions')
				.where('discord_user_id', '=', discordUserId)
				.execute();
			await tx
				.updateTable('tickets')
				.set({
					discord_user_id: null,
					discord_display_name: sql<
						string | null
					>`case when discord_display_name is null then null else ${placeholder.name} end`
				})
				.where('discord_user_id', '=', discordUserId)
				.execute();
		}
		const sessions =
			(await options.endSessions?.(tx, { email: subject.email, discordUserId })) ?? 0;

		const textValues = await scrubText(tx, subject, placeholder);
		const summary: ErasureSummary = {
			tickets: subject.ticketIds.length,
			recipients: recipientIds.length,
			messages: Number(messages.numUpdatedRows),
			files: files.length,
			customers: subject.customerIds.length,
			cancelledMails: Number(cancelled.numUpdatedRows),
			sessions,
			textValues
		};
		await audit.record(
			tx,
			{ ticketId: null, actor: options.actor, action: 'privacy.erased', data: { ...summary } },
			now
		);
		return { summary, storageKeys };
	});
}

/**
 * The free-text pass: the address and the person's names in every text column of the rows of
 * their tickets (titles, bodies, payloads, audit details …) and of their customer rows; then the
 * address alone in every text column of every table outside the staff's own.
 */
async function scrubText(
	tx: Tx,
	subject: Awaited<ReturnType<typeof findSubject>>,
	placeholder: { name: string; email: string }
): Promise<number> {
	const columns = (await textColumns(tx)).filter((c) => !NOT_THEIRS.has(c.table));
	const address: Replacement = { find: subject.email, with: placeholder.email };
	const all: Replacement[] = [
		address,
		...subject.names.map((n) => ({ find: n.toLowerCase(), with: placeholder.name }))
	];
	let changed = 0;
	const withTicket = new Set(await tablesWith(tx, 'ticket_id'));
	if (subject.ticketIds.length || subject.customerIds.length) {
		const ticketIds = subject.ticketIds;
		changed += await scrubColumns(tx, columns, all, (table) => {
			if (table === 'tickets' && ticketIds.length) return sql`id IN (${sql.join(ticketIds)})`;
			if (table === 'customers' && subject.customerIds.length)
				return sql`id IN (${sql.join(subject.customerIds)})`;
			if (withTicket.has(table) && ticketIds.length)
				return sql`ticket_id IN (${sql.join(ticketIds)})`;
			return null;
		});
	}
	changed += await scrubColumns(tx, columns, [address]);
	return changed;
}
