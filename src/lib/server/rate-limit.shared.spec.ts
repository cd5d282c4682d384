import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLimiters, createLimitStore, isShared } from './rate-limit';
import { createTicketLimits } from './tickets/limits';

// Real engines of this machine kind; the part whose engine is not running is skipped (one line).
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = randomBytes(4).toString('hex');

async function reachable(check: () => Promise<unknown>, what: string): Promise<boolean> {
	try {
		await check();
		return true;
	} catch {
		console.log(`rate-limit.shared.spec: ${what} not reachable, that part skipped`);
		return false;
	}
}
const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
const haveRedis = await reachable(() => probe.connect(), `Redis at ${REDIS_URL}`);
probe.disconnect();
const admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
const havePg = await reachable(() => admin.query('select 1'), `PostgreSQL at ${PG_URL}`);
const schema = `s3redis_test_${run}`;
if (havePg) await admin.query(`CREATE SCHEMA ${schema}`);
afterAll(async () => {
	if (havePg) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
	await admin.end();
});

const rules = { create: { points: 3, durationSec: 600 } };

describe.skipIf(!haveRedis)('rate limits in Redis', () => {
	it('two instances share one budget: spent on A, refused on B, and a reset on B frees A', async () => {
		const prefix = `s3redis-test:${run}:`;
		const a = await createLimitStore({ redisUrl: REDIS_URL }, { redisPrefix: prefix });
		const b = await createLimitStore({ redisUrl: REDIS_URL }, { redisPrefix: prefix });
		try {
			expect(isShared(a.store)).toBe(true);
			const onA = createLimiters(rules, a.store);
			const onB = createLimiters(rules, b.store);
			for (let i = 0; i < 3; i++)
				expect(await onA.take('create', '203.0.113.7')).toEqual({ ok: true });
			const refused = await onB.take('create', '203.0.113.7');
			expect(refused).toMatchObject({ ok: false, name: 'create' });
			if (!refused.ok) expect(refused.retryAfterSec).toBeGreaterThan(590);
			expect(await onB.take('create', '203.0.113.8')).toEqual({ ok: true });
			await onB.reset('create', '203.0.113.7');
			expect(await onA.take('create', '203.0.113.7')).toEqual({ ok: true });
		} finally {
			const keys = await (a.store.kind === 'redis' ? a.store.client.keys(`${prefix}*`) : []);
			if (keys.length && a.store.kind === 'redis') await a.store.client.del(...keys);
			await a.close();
			await b.close();
		}
	});
});

describe.skipIf(!havePg)('rate limits in PostgreSQL (no REDIS_URL)', () => {
	it('two instances (two pools) share the ticket-creation budget', async () => {
		const pools = [0, 1].map(() => new pg.Pool({ connectionString: PG_URL, max: 2 }));
		try {
			// Both instances start at once: the counters table is created once, neither fails.
			const [a, b] = await Promise.all(
				pools.map((pool) => createLimitStore({ redisUrl: null }, { pool, schema }))
			);
			expect(a.store.kind).toBe('postgres');
			const limits = { perClient: 2, perEmail: 10, global: 100, windowSec: 3600 };
			const onA = createTicketLimits(limits, a.store);
			const onB = createTicketLimits(limits, b.store);
			const client = { clientKey: `198.51.100.${run}`, email: 'rita@example.com' };
			expect(await onA.take(client)).toMatchObject({ ok: true });
			expect(await onA.take(client)).toMatchObject({ ok: true });
			const refused = await onB.take(client);
			expect(refused).toMatchObject({ ok: false, name: 'create-client' });
			if (!refused.ok) expect(refused.message).toMatch(/try again in/i);
			// The counters are rows in the instance's database, not process memory.
			const rows = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.rate_limits`);
			expect(rows.rows[0].n).toBeGreaterThan(0);
		} finally {
			await Promise.all(pools.map((p) => p.end()));
		}
	});
});
