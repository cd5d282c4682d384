import { describe, expect, it } from 'vitest';
import { testDb } from '$lib/server/test/test-db';
import { afterCommit, transaction } from './transaction';

const { db } = testDb();

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
});
