import type { Conn } from '$lib/server/db';
import type { AuditEventsTable } from '$lib/server/db/schema';

export type ActorKind = AuditEventsTable['actor_kind'];

/** One line of the audit log: who did what, on a ticket or (ticketId null) not. */
export interface AuditEntry {
	ticketId: number | null;
	actor: { kind: ActorKind; id: number | null };
	action: string;
	data?: Record<string, unknown>;
}

/**
 * Writes an audit row; the only writer of `audit_events`. Pass the open transaction so the row
 * commits (or rolls back) with the change it records.
 */
export async function record(db: Conn, entry: AuditEntry, now = Date.now()): Promise<void> {
	await db
		.insertInto('audit_events')
		.values({
			ticket_id: entry.ticketId,
			actor_kind: entry.actor.kind,
			actor_id: entry.actor.id,
			action: entry.action,
			data: JSON.stringify(entry.data ?? {}),
			created_at: now
		})
		.execute();
}
