import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDb, TEST_DIALECT } from '$lib/server/test/test-db';
import { openDatabase, type Db } from './index';
import { afterCommit, transaction } from './transaction';

const { db } = testDb();

/** A ticket type row a test action writes (a small table with a unique key). */
const addType = (d: Db | Parameters<Parameters<typeof transaction>[1]>[0], key: string) =>
	d.insertInto('ticket_types').values({ key, name: key, created_at: Date.now() }).execute();
const keysLike = async (prefix: string) =>
	(
		await db
			.selectFrom('ticket_types')
			.select('key')
			.where('key', 'like', `${prefix}%`)
			.orderBy('key')
			.execute()
	).map((r) => r.key);

describe('transaction and afterCommit', () => {
	it('runs the hooks once the transaction committed, with the database', async () => {
		const seen: string[] = [];
		await transaction(db, async (tx) => {
			afterCommit(tx, (d) => seen.push(d === db ? 'db' : 'other'));
			seen.push('inside');
		});
		expect(seen).toEqual(['inside', 'db']);
	});

	it('drops the hooks of a transaction that rolled back', async () => {
		let woken = false;
		const failing = transaction(db, async (tx) => {
			afterCommit(tx, () => (woken = true));
			throw new Error('refused');
		});
		await expect(failing).rejects.toThrow('refused');
		expect(woken).toBe(false);
	});

	it('runs at once outside a transaction, and refuses a transaction it cannot see commit', async () => {
		let woken = 0;
		afterCommit(db, () => woken++);
		expect(woken).toBe(1);
		await expect(
			db.transaction().execute(async (tx) => afterCommit(tx, () => woken++))
		).rejects.toThrow('transaction(db');
		expect(woken).toBe(1);
	});

	it('keeps concurrent actions all-or-nothing each: a failing one loses only its own writes', async () => {
		const woken: number[] = [];
		const results = await Promise.allSettled(
			Array.from({ length: 40 }, (_, i) =>
				transaction(db, async (tx) => {
					await addType(tx, `conc-${String(i).padStart(2, '0')}-a`);
					afterCommit(tx, () => woken.push(i));
					await addType(tx, `conc-${String(i).padStart(2, '0')}-b`);
					if (i % 5 === 0) throw new Error(`action ${i} refused`);
					return i;
				})
			)
		);
		const kept = results.flatMap((r, i) => (i % 5 === 0 ? [] : [i]));
		results.forEach((r, i) => {
			if (i % 5 === 0)
				expect(r).toEqual({ status: 'rejected', reason: new Error(`action ${i} refused`) });
			else expect(r).toEqual({ status: 'fulfilled', value: i });
		});
		expect(woken.sort((a, b) => a - b)).toEqual(kept);
		const pad = (i: number) => String(i).padStart(2, '0');
		expect(await keysLike('conc-')).toEqual(
			kept.flatMap((i) => [`conc-${pad(i)}-a`, `conc-${pad(i)}-b`])
		);
	});

	it('a constraint error inside one action does not undo the others', async () => {
		await addType(db, 'dup-taken');
		const [a, b, c] = await Promise.allSettled([
			transaction(db, (tx) => addType(tx, 'dup-1')),
			transaction(db, async (tx) => {
				await addType(tx, 'dup-2');
				await addType(tx, 'dup-taken'); // unique key: refused
			}),
			transaction(db, (tx) => addType(tx, 'dup-3'))
		]);
		expect([a.status, b.status, c.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		expect(await keysLike('dup-')).toEqual(['dup-1', 'dup-3', 'dup-taken']);
	});
});

describe.runIf(TEST_DIALECT === 'sqlite')('group commit on a SQLite file', () => {
	it('answers each action only once its writes are committed (visible to another connection)', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'portal-gc-'));
		const file = join(dir, 'portal.db');
		const opened = openDatabase(file);
		const other = new Database(file, { readonly: true });
		const visible = (key: string) =>
			other.prepare('SELECT count(*) AS n FROM ticket_types WHERE key = ?').get(key) as {
				n: number;
			};
		try {
			const seenAtAnswer = await Promise.all(
				Array.from({ length: 30 }, (_, i) =>
					transaction(opened.db, (tx) => addType(tx, `gc-${i}`)).then(() => visible(`gc-${i}`).n)
				)
			);
			expect(seenAtAnswer).toEqual(Array(30).fill(1));
		} finally {
			other.close();
			await opened.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
