import type { Tx } from '$lib/server/db';
import { publicId } from '$lib/server/tokens';
import { markRead } from './inbox';

/** An audit row for something a staff member did, on a ticket or (ticketId null) not. */
export async function audit(
	tx: Tx,
	ticketId: number | null,
	actor: { id: number },
	action: string,
	data: Record<string, unknown>,
	now: number
) {
	await tx
		.insertInto('audit_events')
		.values({
			ticket_id: ticketId,
			actor_kind: 'staff',
			actor_id: actor.id,
			action,
			data: JSON.stringify(data),
			created_at: now
		})
		.execute();
}

/** Marks a ticket active now (with any other column changes) and read by the staff member. */
export async function touch(
	tx: Tx,
	ticketId: number,
	actor: { id: number },
	now: number,
	extra: Record<string, unknown> = {}
) {
	await tx
		.updateTable('tickets')
		.set({ last_activity_at: now, updated_at: now, ...extra })
		.where('id', '=', ticketId)
		.execute();
	await markRead(tx, actor.id, ticketId, now);
}

/** A system event in the conversation (status change, type change …); returns its id. */
export async function event(
	tx: Tx,
	ticketId: number,
	name: string,
	visibility: 'public' | 'internal',
	now: number,
	body = ''
) {
	const row = await tx
		.insertInto('messages')
		.values({
			public_id: publicId(),
			ticket_id: ticketId,
			kind: 'event',
			visibility,
			event: name,
			author_name: '',
			body,
			created_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}
