import type { Conn } from '$lib/server/db';
import { publicId } from '$lib/server/tokens';

/** A system event in a ticket's conversation (status change, reopened, type change …). */
export interface TicketEvent {
	ticketId: number;
	/** The event's name, e.g. `resolved`, `reopened`, `type_changed`. */
	name: string;
	visibility?: 'public' | 'internal';
	body?: string;
}

/**
 * Adds an event message to a ticket's conversation and returns its id; the only writer of
 * event messages. Pass the open transaction of the change it records.
 */
export async function addEvent(db: Conn, input: TicketEvent, now = Date.now()): Promise<number> {
	const row = await db
		.insertInto('messages')
		.values({
			public_id: publicId(),
			ticket_id: input.ticketId,
			kind: 'event',
			visibility: input.visibility ?? 'public',
			event: input.name,
			author_name: '',
			body: input.body ?? '',
			created_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}
