// The live event bus: what staff pages hear about without reloading (new tickets, replies,
// status changes, someone typing). On SQLite one process serves everything, so an in-process
// emitter is enough; on PostgreSQL several instances share the database, so every event goes
// out as a NOTIFY and each instance LISTENs on a dedicated connection (not one of the pool's).
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Logger } from '$lib/server/log';

/** A ticket changed: small and free of content (no bodies, no addresses). */
export interface TicketEvent {
	kind: 'ticket';
	change: 'created' | 'reply' | 'staff_reply' | 'note' | 'status';
	ticketId: number;
	projectId: number;
}

/** A staff member is typing a reply on a ticket (a heartbeat, repeated while they type). */
export interface TypingEvent {
	kind: 'typing';
	ticketId: number;
	staffId: number;
	name: string;
}

export type LiveEvent = TicketEvent | TypingEvent;
export type Listener = (e: LiveEvent) => void;

export interface Bus {
	/** Delivers to this instance's subscribers at once and (PostgreSQL) to the other instances. */
	publish(e: LiveEvent): void;
	subscribe(fn: Listener): () => void;
	/** Resolves once the LISTEN connection is up (at once on SQLite). */
	ready(): Promise<void>;
	close(): Promise<void>;
}

/** NOTIFY payloads are limited to 8000 bytes; ours are far smaller, anything else is a bug. */
const MAX_PAYLOAD = 7900;

function localBus(): Bus & { emit(e: LiveEvent): void } {
	const emitter = new EventEmitter();
	// Every open dashboard tab is one listener.
	emitter.setMaxListeners(0);
	const emit = (e: LiveEvent) => emitter.emit('event', e);
	return {
		emit,
		publish: emit,
		subscribe(fn) {
			emitter.on('event', fn);
			return () => emitter.off('event', fn);
		},
		ready: () => Promise.resolve(),
		async close() {
			emitter.removeAllListeners();
		}
	};
}

/** The in-process bus (SQLite: one process owns the database). */
export function createLocalBus(): Bus {
	return localBus();
}

/**
 * The PostgreSQL bus: `NOTIFY channel` through the pool; `LISTEN channel` on a client of its own
 * that reconnects (after 1 s, then up to 30 s between tries) when the connection drops. Events an
 * instance published itself are delivered locally at once and skipped when they come back.
 */
export function createPgBus(options: {
	url: string;
	pool: Pool;
	log: Logger;
	channel?: string;
}): Bus {
	const channel = options.channel ?? 'portal_live';
	if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`Bad channel name: ${channel}`);
	const self = randomBytes(6).toString('hex');
	const local = localBus();
	let closed = false;
	let delay = 1000;
	let client: import('pg').Client | null = null;
	let timer: NodeJS.Timeout | null = null;
	let markReady: () => void = () => {};
	const ready = new Promise<void>((r) => (markReady = r));

	async function connect() {
		if (closed) return;
		const pg = (await import('pg')).default;
		const c = new pg.Client({ connectionString: options.url });
		client = c;
		c.on('notification', (n) => {
			if (n.channel !== channel || !n.payload) return;
			try {
				const { from, event } = JSON.parse(n.payload) as { from: string; event: LiveEvent };
				if (from !== self) local.emit(event);
			} catch {
				options.log.warn({ channel }, 'ignored an unreadable live event');
			}
		});
		c.on('error', (err) => retry(c, err));
		c.on('end', () => retry(c));
		try {
			await c.connect();
			await c.query(`LISTEN ${channel}`);
			delay = 1000;
			markReady();
		} catch (err) {
			retry(c, err);
		}
	}

	function retry(c: import('pg').Client, err?: unknown) {
		if (closed || client !== c) return;
		client = null;
		c.end().catch(() => {});
		options.log.warn({ err, channel, retryMs: delay }, 'live events: LISTEN connection lost');
		timer = setTimeout(() => {
			timer = null;
			void connect();
		}, delay);
		timer.unref();
		delay = Math.min(delay * 2, 30_000);
	}

	void connect();
	return {
		publish(event) {
			local.emit(event);
			const payload = JSON.stringify({ from: self, event });
			if (payload.length > MAX_PAYLOAD) throw new Error('live event too large');
			options.pool
				.query('SELECT pg_notify($1, $2)', [channel, payload])
				.catch((err) => options.log.warn({ err }, 'live events: NOTIFY failed'));
		},
		subscribe: local.subscribe,
		ready: () => ready,
		async close() {
			closed = true;
			if (timer) clearTimeout(timer);
			const c = client;
			client = null;
			await local.close();
			await c?.end().catch(() => {});
		}
	};
}
