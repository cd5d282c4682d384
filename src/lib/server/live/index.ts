import type { Conn, Db, OpenDb } from '$lib/server/db';
import { afterCommit } from '$lib/server/db/transaction';
import type { Logger } from '$lib/server/log';
import { createLocalBus, createPgBus, type Bus, type TicketEvent } from './bus';
import { createPresence, type Presence } from './presence';
import { createStreams, type Streams } from './stream';

export type { Bus, LiveEvent, TicketEvent, TypingEvent } from './bus';
export { createLocalBus, createPgBus } from './bus';
export { createPresence, TYPING_TTL_MS } from './presence';
export { createStreams } from './stream';

/** The live side of the dashboard: the bus, who is typing, and the open event streams. */
export interface Live {
	bus: Bus;
	presence: Presence;
	streams: Streams;
	close(): Promise<void>;
}

/** The bus of each database, so domain writes can publish after their commit. */
const buses = new WeakMap<Db, Bus>();

/**
 * Builds the live service for an open database (in-process on SQLite, LISTEN/NOTIFY on
 * PostgreSQL) and lets writes on `database.db` publish to it.
 */
export function createLive(database: OpenDb, options: { url: string | null; log: Logger }): Live {
	const bus =
		database.pool && options.url
			? createPgBus({ url: options.url, pool: database.pool, log: options.log })
			: createLocalBus();
	buses.set(database.db, bus);
	const presence = createPresence(bus);
	const streams = createStreams(bus);
	return {
		bus,
		presence,
		streams,
		async close() {
			streams.drain();
			presence.close();
			buses.delete(database.db);
			await bus.close();
		}
	};
}

/** Lets writes on `db` publish to `bus` (tests; the app uses createLive). */
export function attachBus(db: Db, bus: Bus): void {
	buses.set(db, bus);
}

/**
 * Announces that a ticket changed, once `conn`'s transaction has committed (a rollback
 * announces nothing). Call inside the write's transaction, opened with `transaction()`.
 */
export async function ticketChanged(
	conn: Conn,
	ticketId: number,
	change: TicketEvent['change'],
	/** The ticket's project when the caller has it (saves reading it). */
	knownProjectId?: number
): Promise<void> {
	let projectId = knownProjectId;
	if (projectId === undefined) {
		const t = await conn
			.selectFrom('tickets')
			.select('project_id')
			.where('id', '=', ticketId)
			.executeTakeFirst();
		if (!t) return;
		projectId = t.project_id;
	}
	const project = projectId;
	afterCommit(conn, (db) =>
		buses.get(db)?.publish({ kind: 'ticket', change, ticketId, projectId: project })
	);
}
