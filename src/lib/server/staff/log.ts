import * as auditLog from '$lib/server/audit';
import type { Tx } from '$lib/server/db';
import { markRead } from './inbox';

/** An audit row for something a staff member did, on a ticket or (ticketId null) not. */
export function audit(
	tx: Tx,
	ticketId: number | null,
	actor: { id: number },
	action: string,
	data: Record<string, unknown>,
	now: number
) {
	const staff = { kind: 'staff' as const, id: actor.id };
	return auditLog.record(tx, { ticketId, actor: staff, action, data }, now);
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
