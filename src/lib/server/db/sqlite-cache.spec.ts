import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cachedStatements } from './sqlite-cache';

function counted(size?: number) {
	const sqlite = new Database(':memory:');
	const prepared: string[] = [];
	const prepare = sqlite.prepare.bind(sqlite);
	sqlite.prepare = ((text: string) => {
		prepared.push(text);
		return prepare(text);
	}) as typeof sqlite.prepare;
	const db = new Kysely<{ t: { id: number; v: string } }>({
		dialect: new SqliteDialect({ database: cachedStatements(sqlite, size) })
	});
	return { db, prepared };
}

describe('cachedStatements', () => {
	it('compiles a query shape once and answers with each call’s own values', async () => {
		const { db, prepared } = counted();
		await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`.execute(db);
		for (let i = 1; i <= 5; i++)
			await db
				.insertInto('t')
				.values({ id: i, v: `v${i}` })
				.execute();
		const rows = [];
		for (let i = 1; i <= 5; i++)
			rows.push(await db.selectFrom('t').select('v').where('id', '=', i).executeTakeFirst());
		expect(rows.map((r) => r?.v)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
		expect(prepared.filter((s) => s.startsWith('insert')).length).toBe(1);
		expect(prepared.filter((s) => s.startsWith('select')).length).toBe(1);
		await db.destroy();
	});

	it('keeps only the most recently used statements', async () => {
		const { db, prepared } = counted(2);
		const q = (n: number) => sql`SELECT ${sql.lit(n)} AS n`.execute(db);
		await q(1);
		await q(2);
		await q(1); // cached
		await q(3); // evicts 2, the least recently used
		await q(1); // still cached
		await q(2); // compiled again
		expect(prepared.map((s) => s.toLowerCase())).toEqual([
			'select 1 as n',
			'select 2 as n',
			'select 3 as n',
			'select 2 as n'
		]);
		await db.destroy();
	});
});
