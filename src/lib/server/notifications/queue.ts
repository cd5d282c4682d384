import type { Conn } from '$lib/server/db';
import type { OutboundEmail } from '$lib/server/db/schema';
import { afterCommit } from '$lib/server/db/transaction';
import { wake } from './outbox';

/**
 * Read and repair the mail outbox, for the staff dashboard. No addresses of staff users or
 * links are returned: links exist only while a mail is being composed.
 */

export type OutboxStatus = OutboundEmail['status'];

export interface OutboxEntry {
	id: number;
	kind: string;
	status: OutboxStatus;
	attempts: number;
	lastError: string | null;
	/** Recipient address for recipient mail, else null (staff mail names the staff user id). */
	to: string | null;
	staffUserId: number | null;
	ticketId: number | null;
	ticketTitle: string | null;
	createdAt: number;
	nextAttemptAt: number;
	sentAt: number | null;
}

/** The newest outbox rows, optionally only those with one status. */
export async function listRecent(
	db: Conn,
	options: { status?: OutboxStatus; limit?: number } = {}
): Promise<OutboxEntry[]> {
	let q = db
		.selectFrom('outbound_emails as o')
		.leftJoin('ticket_recipients as r', 'r.id', 'o.recipient_id')
		.leftJoin('tickets as t', 't.id', 'o.ticket_id')
		.select([
			'o.id',
			'o.kind',
			'o.status',
			'o.attempts',
			'o.last_error',
			'o.staff_user_id',
			'o.ticket_id',
			'o.created_at',
			'o.next_attempt_at',
			'o.sent_at',
			'r.email',
			't.title'
		]);
	if (options.status) q = q.where('o.status', '=', options.status);
	const rows = await q
		.orderBy('o.id', 'desc')
		.limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
		.execute();
	return rows.map((r) => ({
		id: r.id,
		kind: r.kind,
		status: r.status,
		attempts: r.attempts,
		lastError: r.last_error,
		to: r.email,
		staffUserId: r.staff_user_id,
		ticketId: r.ticket_id,
		ticketTitle: r.title,
		createdAt: r.created_at,
		nextAttemptAt: r.next_attempt_at,
		sentAt: r.sent_at
	}));
}

/** How many rows are in each status. */
export async function countByStatus(db: Conn): Promise<Record<OutboxStatus, number>> {
	const rows = await db
		.selectFrom('outbound_emails')
		.select(['status', (eb) => eb.fn.countAll<number>().as('n')])
		.groupBy('status')
		.execute();
	const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0, cancelled: 0 };
	for (const r of rows) counts[r.status] = Number(r.n);
	return counts;
}

/**
 * Puts a failed row back in the queue with a fresh set of attempts (e.g. after fixing SMTP
 * settings) and wakes the mail worker. Returns false if the row does not exist or has not failed.
 */
export async function retry(db: Conn, id: number, now = Date.now()): Promise<boolean> {
	const result = await db
		.updateTable('outbound_emails')
		.set({ status: 'pending', attempts: 0, next_attempt_at: now })
		.where('id', '=', id)
		.where('status', '=', 'failed')
		.executeTakeFirst();
	const queued = Number(result.numUpdatedRows) === 1;
	if (queued) afterCommit(db, wake);
	return queued;
}
