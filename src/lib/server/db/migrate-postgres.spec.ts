import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '$lib/server/test/test-db';
import { postgresShape, sqliteShape } from './introspect';
import { migrate, migratePostgres, migrations, postgresMigrations } from './migrate';
import { createPool } from './postgres';

// Runs in vitest's postgres project only (TEST_DATABASE_URL set); each test in fresh schemas.
const url = process.env.TEST_DATABASE_URL ?? '';
const pools: { pool: Pool; schema: string }[] = [];

async function emptySchema(connections = 1): Promise<Pool[]> {
	const schema = `pgwt_mig_${randomBytes(6).toString('hex')}`;
	const list = Array.from({ length: connections }, () => createPool(url, { schema, poolMax: 2 }));
	await list[0].query(`CREATE SCHEMA ${schema}`);
	for (const pool of list) pools.push({ pool, schema });
	return list;
}

afterAll(async () => {
	for (const { pool, schema } of pools) {
		await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
		await pool.end();
	}
});

describe.runIf(TEST_DIALECT === 'postgres')('PostgreSQL migrations', () => {
	it('exist for the same numbers as the SQLite ones', () => {
		expect(postgresMigrations.map((m) => m.version)).toEqual(migrations.map((m) => m.version));
	});

	it('apply each migration once when two instances start together on an empty schema', async () => {
		const [a, b] = await emptySchema(2);
		const [first, second] = await Promise.all([migratePostgres(a), migratePostgres(b)]);
		const all = postgresMigrations.map((m) => m.version);
		expect([...first, ...second].sort()).toEqual(all);
		expect([first, second]).toContainEqual([]);
		const recorded = await a.query('SELECT version FROM schema_migrations ORDER BY version');
		expect(recorded.rows.map((r) => r.version)).toEqual(all);
		const types = await a.query('SELECT count(*) AS n FROM ticket_types');
		expect(types.rows[0].n).toBe(3);
		expect(await migratePostgres(b)).toEqual([]);
	});

	it('roll back a failing migration whole and leave it unrecorded', async () => {
		const [pool] = await emptySchema();
		await migratePostgres(pool);
		const bad = [
			{ version: '9999_bad', sql: 'CREATE TABLE half_done (x INTEGER); SELECT nope FROM missing;' }
		];
		await expect(migratePostgres(pool, bad)).rejects.toThrow(/9999_bad/);
		expect((await pool.query("SELECT to_regclass('half_done') AS t")).rows[0].t).toBeNull();
		expect(
			(await pool.query("SELECT 1 FROM schema_migrations WHERE version = '9999_bad'")).rowCount
		).toBe(0);
	});

	it('build the same tables, columns, types, nullability, foreign keys and indexes as SQLite', async () => {
		const [pool] = await emptySchema();
		await migratePostgres(pool);
		const sqlite = new Database(':memory:');
		migrate(sqlite);
		const pg = await postgresShape(pool);
		const lite = sqliteShape(sqlite);
		expect(pg.columns.length).toBeGreaterThan(100);
		expect(pg.columns).toContain('tickets.created_at: integer not null');
		expect(pg.indexes).toContain('unique ticket_types(expr, key)');
		expect(pg.indexes).toContain('unique staff_users(email)');
		expect(pg.foreignKeys).toContain(
			'projects(default_ticket_type_id) -> ticket_types(id) on delete set null'
		);
		expect(pg).toEqual(lite);

		// A migration added to one dialect only is caught.
		migrate(sqlite, [
			{ version: '9999_one_side', sql: 'CREATE INDEX tickets_title ON tickets(title)' }
		]);
		expect(await postgresShape(pool)).not.toEqual(sqliteShape(sqlite));
		sqlite.close();
	});

	it('returns BIGINT times and ids as JavaScript numbers', async () => {
		const [pool] = await emptySchema();
		const row = (
			await pool.query('SELECT 1764547200000::bigint AS ms, count(*) AS n FROM pg_class')
		).rows[0];
		expect(typeof row.ms).toBe('number');
		expect(row.ms).toBe(1764547200000);
		expect(typeof row.n).toBe('number');
	});
});
