import { describe, expect, it } from 'vitest';
import { createLogger } from '$lib/server/log';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { TEST_DIALECT, TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { claimDue, renewLease } from './claim';
import { createComposer, createOutbox, type MailMessage, type MailTransport } from './index';

// Runs on SQLite and, in the postgres project, on PostgreSQL (FOR UPDATE SKIP LOCKED).
const { db } = testDb();
const log = createLogger('silent');
const compose = createComposer({
	origin: 'https://help.example.com',
	mailFrom: 'Help <help@example.com>',
	secret: TEST_SECRET
});

/** A transport that records every mail, slowly enough for two workers to overlap. */
function recorder() {
	const sent: MailMessage[] = [];
	const transport: MailTransport = {
		kind: 'smtp',
		async send(m) {
			await new Promise((r) => setTimeout(r, 5));
			sent.push(m);
			return { info: '250 ok' };
		},
		close() {}
	};
	return { sent, transport };
}

const pending = async () =>
	(await db.selectFrom('outbound_emails').select('id').where('status', '=', 'pending').execute())
		.length;

describe('outbox workers on one database', () => {
	it('two workers running at once send each queued mail exactly once', async () => {
		const project = await makeProject(db);
		for (let i = 0; i < 20; i++)
			await makeTicket(db, { projectId: project.id, title: `Event ${i}` });
		expect(await pending()).toBe(20);
		const { sent, transport } = recorder();
		const a = createOutbox({ db, transport, compose, log, pollMs: 60_000, worker: 'a' });
		const b = createOutbox({ db, transport, compose, log, pollMs: 60_000, worker: 'b' });
		const [byA, byB] = await Promise.all([a.deliverDue(), b.deliverDue()]);
		expect(byA + byB).toBe(20);
		expect(sent).toHaveLength(20);
		expect(new Set(sent.map((m) => m.subject)).size).toBe(20);
		expect(await pending()).toBe(0);
		const rows = await db
			.selectFrom('outbound_emails')
			.select(['status', 'claimed_by', 'lease_until'])
			.execute();
		expect(
			rows.every((r) => r.status === 'sent' && r.claimed_by === null && r.lease_until === null)
		).toBe(true);
	});

	it('retries the rows of a worker that died mid-send once its lease ran out, not before', async () => {
		await makeTicket(db, { title: 'Claimed by a dead worker' });
		const now = Date.now();
		const claimed = await claimDue(db, 'dead', { now, leaseMs: 60_000, limit: 10 });
		expect(claimed.map((r) => r.claimed_by)).toEqual(['dead']);
		const { sent, transport } = recorder();
		const other = createOutbox({ db, transport, compose, log, pollMs: 60_000, worker: 'other' });
		// While the lease lives, nobody else sends it.
		expect(await other.deliverDue(now + 30_000)).toBe(0);
		expect(sent).toHaveLength(0);
		// The worker never came back: after the lease, another instance delivers it.
		expect(await other.deliverDue(now + 61_000)).toBe(1);
		expect(sent.map((m) => m.subject)).toEqual([
			expect.stringContaining('Claimed by a dead worker')
		]);
		expect(await pending()).toBe(0);
	});

	it('a worker whose lease ran out and was taken over does not get the row back', async () => {
		await makeTicket(db, { title: 'Slow batch' });
		const now = Date.now();
		const [row] = await claimDue(db, 'slow', { now, leaseMs: 1, limit: 10 });
		expect(row.claimed_by).toBe('slow');
		const [taken] = await claimDue(db, 'fast', { now: now + 10, leaseMs: 60_000, limit: 10 });
		expect(taken.id).toBe(row.id);
		// The slow worker reaches the row later in its batch: it must skip it, not send it again.
		expect(await renewLease(db, 'slow', row.id, 60_000)).toBe(false);
		expect(await renewLease(db, 'fast', row.id, 60_000)).toBe(true);
		const { transport } = recorder();
		const fast = createOutbox({ db, transport, compose, log, pollMs: 60_000, worker: 'fast' });
		await db
			.updateTable('outbound_emails')
			.set({ lease_until: 0 })
			.where('id', '=', row.id)
			.execute();
		expect(await fast.deliverDue()).toBe(1);
		expect(await renewLease(db, 'fast', row.id, 60_000)).toBe(false);
	});

	it.runIf(TEST_DIALECT === 'sqlite')(
		'on SQLite (one process per database) a restart sends a crashed run’s claimed rows at once',
		async () => {
			await makeTicket(db, { title: 'Claimed before a crash' });
			await claimDue(db, 'crashed', { now: Date.now(), leaseMs: 3_600_000, limit: 10 });
			const { sent, transport } = recorder();
			const restarted = createOutbox({ db, transport, compose, log, pollMs: 60_000 });
			restarted.start();
			await restarted.run();
			await restarted.stop();
			expect(sent.map((m) => m.subject)).toEqual([
				expect.stringContaining('Claimed before a crash')
			]);
		}
	);
});
