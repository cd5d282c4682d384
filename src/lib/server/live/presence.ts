import type { Bus } from './bus';

/** How long "Ada is writing a reply" stays after the last heartbeat. */
export const TYPING_TTL_MS = 8000;

export interface Presence {
	/** Announces (to every instance) that `staff` is typing on `ticketId`. */
	typing(ticketId: number, staff: { id: number; name: string }): void;
	/** Names of the staff typing on `ticketId` now, except `exceptStaffId`. */
	who(ticketId: number, exceptStaffId: number, now?: number): string[];
	close(): void;
}

/**
 * Who is typing where, kept in memory from the bus's typing heartbeats: every instance hears
 * them (PostgreSQL: NOTIFY), so each one knows without a table. Losing it on restart is harmless:
 * the next heartbeat, a few seconds later, brings it back.
 */
export function createPresence(bus: Bus, ttlMs = TYPING_TTL_MS): Presence {
	const byTicket = new Map<number, Map<number, { name: string; until: number }>>();
	const prune = (ticketId: number, now: number) => {
		const m = byTicket.get(ticketId);
		if (!m) return undefined;
		for (const [id, p] of m) if (p.until <= now) m.delete(id);
		if (!m.size) byTicket.delete(ticketId);
		return m.size ? m : undefined;
	};
	const off = bus.subscribe((e) => {
		if (e.kind !== 'typing') return;
		const now = Date.now();
		prune(e.ticketId, now);
		let m = byTicket.get(e.ticketId);
		if (!m) byTicket.set(e.ticketId, (m = new Map()));
		m.set(e.staffId, { name: e.name, until: now + ttlMs });
	});
	return {
		typing(ticketId, staff) {
			bus.publish({ kind: 'typing', ticketId, staffId: staff.id, name: staff.name });
		},
		who(ticketId, exceptStaffId, now = Date.now()) {
			const m = prune(ticketId, now);
			return m ? [...m].filter(([id]) => id !== exceptStaffId).map(([, p]) => p.name) : [];
		},
		close: off
	};
}
