import type { Conn } from '$lib/server/db';

/** The most recent queued mails for the settings screen (addresses, never links or tokens). */
export function recentMail(db: Conn, limit = 50) {
	return db
		.selectFrom('outbound_emails as o')
		.leftJoin('ticket_recipients as r', 'r.id', 'o.recipient_id')
		.leftJoin('staff_users as s', 's.id', 'o.staff_user_id')
		.leftJoin('tickets as t', 't.id', 'o.ticket_id')
		.select([
			'o.id',
			'o.kind',
			'o.status',
			'o.attempts',
			'o.last_error as lastError',
			'o.created_at as createdAt',
			'o.sent_at as sentAt',
			'o.next_attempt_at as nextAttemptAt',
			'r.email as recipientEmail',
			's.email as staffEmail',
			't.id as ticketId',
			't.title as ticketTitle'
		])
		.orderBy('o.id', 'desc')
		.limit(limit)
		.execute();
}

/** Puts a failed (or cancelled) mail back in the queue for an attempt now. */
export async function retryMail(db: Conn, id: number, now = Date.now()): Promise<boolean> {
	const r = await db
		.updateTable('outbound_emails')
		.set({ status: 'pending', next_attempt_at: now, attempts: 0 })
		.where('id', '=', id)
		.where('status', 'in', ['failed', 'cancelled'])
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/**
 * The numeric limits in the running configuration, for showing read-only: every number in a
 * nested settings group (rate limits, upload limits, login throttle …) plus the mail poll.
 */
export function limitsOf(config: object): { group: string; name: string; value: number }[] {
	const out: { group: string; name: string; value: number }[] = [];
	for (const [group, value] of Object.entries(config)) {
		if (value && typeof value === 'object' && !Array.isArray(value)) {
			for (const [name, v] of Object.entries(value))
				if (typeof v === 'number') out.push({ group, name, value: v });
		}
	}
	const poll = (config as { outboxPollMs?: number }).outboxPollMs;
	if (typeof poll === 'number') out.push({ group: 'mail', name: 'outboxPollMs', value: poll });
	return out;
}
