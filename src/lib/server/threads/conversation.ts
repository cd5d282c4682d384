import type { Conn } from '$lib/server/db';
import type { Project, Recipient, Ticket } from '$lib/server/db/schema';
import type { PublicMessage } from '$lib/shared/types';

/** A ticket as one recipient's link shows it. */
export interface Thread {
	recipient: Recipient;
	ticket: Ticket;
	project: Project;
}

/** What the conversation and the poll need of a thread. */
export interface ThreadRef {
	recipient: Pick<Recipient, 'id'>;
	ticket: Pick<Ticket, 'id' | 'status'>;
}

/** Where a poll stands: the newest public message of the ticket and the cursor's message. */
export interface PollMarks {
	/** Internal id of the ticket's newest public message (null: none yet). */
	latestId: number | null;
	/** Internal id of the message the cursor names (null: none named, or it is gone). */
	cursorId: number | null;
}

/** The public conversation of a ticket, oldest first; internal notes never included. */
export async function conversation(
	db: Conn,
	thread: ThreadRef,
	after?: number
): Promise<PublicMessage[]> {
	let q = db
		.selectFrom('messages')
		.select([
			'id',
			'public_id',
			'kind',
			'event',
			'author_name',
			'author_recipient_id',
			'author_staff_id',
			'body',
			'created_at'
		])
		.where('ticket_id', '=', thread.ticket.id)
		.where('visibility', '=', 'public');
	if (after !== undefined) q = q.where('id', '>', after);
	const rows = await q.orderBy('id').execute();
	return rows.map((m) => ({
		id: m.public_id,
		kind: m.kind,
		event: m.event,
		author: m.author_name,
		from:
			m.kind === 'event'
				? 'system'
				: m.author_staff_id !== null
					? 'staff'
					: m.author_recipient_id === thread.recipient.id
						? 'you'
						: 'recipient',
		body: m.body,
		createdAt: m.created_at
	}));
}
