import type { Conn } from '$lib/server/db';

/**
 * The newest message (not event) of a ticket, any visibility: the reply form carries it as
 * "last seen" so a reply written while someone else answered can be stopped for review. 0 = none.
 */
export async function latestMessageId(db: Conn, ticketId: number): Promise<number> {
	const row = await db
		.selectFrom('messages')
		.select('id')
		.where('ticket_id', '=', ticketId)
		.where('kind', '=', 'message')
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row?.id ?? 0;
}

/**
 * Messages that arrived on a ticket after `seenId`, except the staff member's own (they knew
 * about those), oldest first: what they should read before their reply goes out.
 */
export async function newerMessages(db: Conn, ticketId: number, seenId: number, staffId: number) {
	const rows = await db
		.selectFrom('messages')
		.select(['id', 'author_name', 'body', 'visibility', 'created_at', 'author_staff_id'])
		.where('ticket_id', '=', ticketId)
		.where('kind', '=', 'message')
		.where('id', '>', seenId)
		.orderBy('id')
		.execute();
	return rows
		.filter((m) => m.author_staff_id !== staffId)
		.map((m) => ({
			id: m.id,
			author: m.author_name,
			body: m.body,
			internal: m.visibility === 'internal',
			createdAt: m.created_at
		}));
}

/**
 * The reporter's other tickets (same address), newest activity first: the history an agent
 * should see. Uses the reporter index (tickets_reporter).
 */
export async function reporterTickets(
	db: Conn,
	ticket: { id: number; reporterEmail: string },
	limit = 20
) {
	return db
		.selectFrom('tickets')
		.innerJoin('projects', 'projects.id', 'tickets.project_id')
		.select([
			'tickets.id',
			'tickets.title',
			'tickets.status',
			'tickets.last_activity_at as lastActivityAt',
			'projects.name as project'
		])
		.where('tickets.reporter_email', '=', ticket.reporterEmail)
		.where('tickets.id', '!=', ticket.id)
		.orderBy('tickets.last_activity_at', 'desc')
		.orderBy('tickets.id', 'desc')
		.limit(limit)
		.execute();
}
