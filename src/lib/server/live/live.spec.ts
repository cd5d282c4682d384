import { createPool } from '$lib/server/db/postgres';
import { createLogger } from '$lib/server/log';
import * as staff from '$lib/server/staff';
import { makeTicket } from '$lib/server/test/factories';
import { makeAgent } from '$lib/server/test/staff-agent';
import { TEST_DIALECT, testDb } from '$lib/server/test/test-db';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	attachBus,
	createLocalBus,
	createPgBus,
	createPresence,
	createStreams,
	type LiveEvent
} from '.';

const { db } = testDb();
const log = createLogger('silent');

function collect(bus: { subscribe(fn: (e: LiveEvent) => void): () => void }) {
	const got: LiveEvent[] = [];
	bus.subscribe((e) => got.push(e));
	return got;
}

const waitFor = async (check: () => boolean, ms = 3000) => {
	const until = Date.now() + ms;
	while (!check()) {
		if (Date.now() > until) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 20));
	}
};

describe('publishing from domain writes', () => {
	it('announces a new ticket, a staff reply and a status change after commit, without bodies', async () => {
		const bus = createLocalBus();
		attachBus(db, bus);
		const got = collect(bus);
		const { ticket } = await makeTicket(db, { description: 'secret words' });
		const me = await makeAgent(db);
		await staff.write(db, { ticketId: ticket.id, actor: me, body: 'Hello there', internal: false });
		await staff.setStatus(db, { ticketId: ticket.id, actor: me, status: 'waiting' });
		expect(got).toEqual([
			{ kind: 'ticket', change: 'created', ticketId: ticket.id, projectId: ticket.project_id },
			{ kind: 'ticket', change: 'staff_reply', ticketId: ticket.id, projectId: ticket.project_id },
			{ kind: 'ticket', change: 'status', ticketId: ticket.id, projectId: ticket.project_id }
		]);
		expect(JSON.stringify(got)).not.toMatch(/secret|Hello/);
	});

	it('announces nothing when the write rolls back', async () => {
		const bus = createLocalBus();
		attachBus(db, bus);
		const { ticket } = await makeTicket(db);
		const got = collect(bus);
		const me = await makeAgent(db);
		await expect(
			staff.write(db, {
				ticketId: ticket.id,
				actor: me,
				body: 'never',
				internal: false,
				within: async () => {
					throw new Error('boom');
				}
			})
		).rejects.toThrow('boom');
		expect(got).toEqual([]);
	});
});

describe('presence', () => {
	it('shows who types on a ticket to others, and forgets them after the TTL', async () => {
		const bus = createLocalBus();
		const presence = createPresence(bus, 50);
		presence.typing(7, { id: 1, name: 'Ada' });
		expect(presence.who(7, 2)).toEqual(['Ada']);
		expect(presence.who(7, 1)).toEqual([]);
		expect(presence.who(8, 2)).toEqual([]);
		await new Promise((r) => setTimeout(r, 80));
		expect(presence.who(7, 2)).toEqual([]);
	});
});

describe('event streams', () => {
	it('sends events as SSE frames, skips the viewer’s own typing, and ends on drain', async () => {
		const bus = createLocalBus();
		const streams = createStreams(bus, 60_000);
		const res = streams.open({ staffId: 1, stillSignedIn: async () => true });
		expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
		expect(res.headers.get('cache-control')).toBe('no-store');
		const reader = res.body!.getReader();
		const text = new TextDecoder();
		let seen = '';
		const read = async () => {
			const { value, done } = await reader.read();
			if (!done) seen += text.decode(value);
			return done;
		};
		await read();
		expect(seen).toContain('retry: 3000');
		bus.publish({ kind: 'typing', ticketId: 3, staffId: 1, name: 'Me' });
		bus.publish({ kind: 'typing', ticketId: 3, staffId: 2, name: 'Bo' });
		await read();
		expect(seen).toContain('event: typing\ndata: {"ticketId":3,"staffId":2,"name":"Bo"}\n\n');
		expect(seen).not.toContain('"Me"');
		expect(streams.count()).toBe(1);
		streams.drain();
		expect(await read()).toBe(true);
		expect(streams.count()).toBe(0);
		expect(streams.open({ staffId: 1, stillSignedIn: async () => true }).status).toBe(503);
	});

	it('ends a stream at the heartbeat once the session is gone', async () => {
		const streams = createStreams(createLocalBus(), 20);
		let signedIn = true;
		const res = streams.open({ staffId: 1, stillSignedIn: async () => signedIn });
		const reader = res.body!.getReader();
		await reader.read();
		signedIn = false;
		let done = false;
		while (!done) done = (await reader.read()).done;
		expect(streams.count()).toBe(0);
	});
});

describe.runIf(TEST_DIALECT === 'postgres')('LISTEN/NOTIFY across instances', () => {
	it('delivers what one instance publishes to another, each event once', async () => {
		const url = process.env.TEST_DATABASE_URL!;
		const channel = `live_test_${randomBytes(4).toString('hex')}`;
		const poolA = createPool(url, { poolMax: 2 });
		const poolB = createPool(url, { poolMax: 2 });
		const a = createPgBus({ url, pool: poolA, log, channel });
		const b = createPgBus({ url, pool: poolB, log, channel });
		try {
			await Promise.all([a.ready(), b.ready()]);
			const atA = collect(a);
			const atB = collect(b);
			const e: LiveEvent = { kind: 'ticket', change: 'reply', ticketId: 42, projectId: 9 };
			a.publish(e);
			await waitFor(() => atB.length === 1);
			await new Promise((r) => setTimeout(r, 200));
			expect(atB).toEqual([e]);
			// The publisher hears its own event once (locally, not again through NOTIFY).
			expect(atA).toEqual([e]);
			const presence = createPresence(b);
			a.publish({ kind: 'typing', ticketId: 42, staffId: 5, name: 'Ada' });
			await waitFor(() => presence.who(42, 6).length === 1);
			expect(presence.who(42, 6)).toEqual(['Ada']);
		} finally {
			await a.close();
			await b.close();
			await poolA.end();
			await poolB.end();
		}
	});

	it('listens again after its connection was killed', async () => {
		const url = process.env.TEST_DATABASE_URL!;
		const channel = `live_test_${randomBytes(4).toString('hex')}`;
		const pool = createPool(url, { poolMax: 2 });
		const a = createPgBus({ url, pool, log, channel });
		const b = createPgBus({ url, pool, log, channel });
		try {
			await Promise.all([a.ready(), b.ready()]);
			await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1`, [
				`LISTEN ${channel}`
			]);
			const atB = collect(b);
			// Keep publishing until b's new LISTEN connection hears it.
			await waitFor(() => {
				a.publish({ kind: 'ticket', change: 'note', ticketId: 1, projectId: 1 });
				return atB.length > 0;
			}, 8000);
			expect(atB[0]).toMatchObject({ ticketId: 1 });
		} finally {
			await a.close();
			await b.close();
			await pool.end();
		}
	});
});
