import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import { createLimiters, createLimitStore, retryIn } from './rate-limit';

const dir = mkdtempSync(join(tmpdir(), 'portal-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rate limits', () => {
	it('allow N actions per window, refuse the next with a Retry-After in seconds', async () => {
		const l = createLimiters({ create: { points: 3, durationSec: 600 } });
		for (let i = 0; i < 3; i++) expect(await l.take('create', '10.0.0.1')).toEqual({ ok: true });
		const refused = await l.take('create', '10.0.0.1');
		expect(refused.ok).toBe(false);
		if (!refused.ok) {
			expect(refused.name).toBe('create');
			expect(refused.retryAfterSec).toBeGreaterThan(590);
			expect(refused.retryAfterSec).toBeLessThanOrEqual(600);
		}
		expect(await l.take('create', '10.0.0.2')).toEqual({ ok: true });
	});

	it('keep counting across a restart when stored in SQLite', async () => {
		const file = join(dir, 'limits.db');
		const rules = { reply: { points: 2, durationSec: 60 } };
		let db = new Database(file);
		let l = createLimiters(rules, db);
		await l.take('reply', 'tok');
		await l.take('reply', 'tok');
		db.close();
		db = new Database(file);
		l = createLimiters(rules, db);
		expect((await l.take('reply', 'tok')).ok).toBe(false);
		db.close();
	});

	it('count in a file of their own: a count survives another request rolling back, and a restart', async () => {
		const data = mkdtempSync(join(dir, 'app-'));
		const main = openDatabase(join(data, 'portal.db'));
		const rules = { create: { points: 2, durationSec: 600 } };
		let store = await createLimitStore({ redisUrl: null }, { sqliteFile: join(data, 'limits.db') });
		let l = createLimiters(rules, store.store);
		// A request's write transaction is open (and later fails) while another request is counted.
		await main.db
			.transaction()
			.execute(async (tx) => {
				await tx
					.insertInto('ticket_types')
					.values({ key: 'x', name: 'X', created_at: Date.now() })
					.execute();
				await l.take('create', '10.1.1.1');
				throw new Error('this request failed');
			})
			.catch(() => {});
		await l.take('create', '10.1.1.1');
		await store.close();
		store = await createLimitStore({ redisUrl: null }, { sqliteFile: join(data, 'limits.db') });
		l = createLimiters(rules, store.store);
		expect((await l.take('create', '10.1.1.1')).ok).toBe(false);
		await store.close();
		await main.close();
	});

	it('takeAll stops at the first refusing rule; 0 points turns a rule off', async () => {
		const l = createLimiters({
			client: { points: 1, durationSec: 60 },
			global: { points: 0, durationSec: 60 }
		});
		expect(
			await l.takeAll([
				['client', 'a'],
				['global', '*']
			])
		).toEqual({ ok: true });
		const second = await l.takeAll([
			['client', 'a'],
			['global', '*']
		]);
		expect(second.ok === false && second.name).toBe('client');
	});

	it('says when to retry in words', () => {
		expect(retryIn(1)).toBe('Please try again in 1 second.');
		expect(retryIn(90)).toBe('Please try again in 2 minutes.');
		expect(retryIn(7200)).toBe('Please try again in 2 hours.');
	});
});
