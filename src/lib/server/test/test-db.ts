import { openDatabase, type OpenDb } from '$lib/server/db';
import { migratePostgres } from '$lib/server/db/migrate';
import { createPool } from '$lib/server/db/postgres';
import type { DB } from '$lib/server/db/schema';
import { Kysely, PostgresDialect } from 'kysely';
import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';

/** A fixed HMAC secret for tests. */
export const TEST_SECRET = new TextEncoder().encode('test-secret-test-secret-test-secret!');

/**
 * The dialect this test run proves: vitest's `postgres` project (vite.config.ts, only when
 * TEST_DATABASE_URL is set) runs the same spec files with TEST_DIALECT=postgres.
 */
export const TEST_DIALECT: 'sqlite' | 'postgres' =
	process.env.TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

/**
 * A fresh, migrated database for one test file, closed after the file's tests: in-memory
 * SQLite, or on PostgreSQL a schema of its own, created before and dropped after the file.
 * Call at the top level of a spec (or in beforeAll).
 */
export function testDb(): OpenDb {
	if (TEST_DIALECT === 'postgres') return postgresTestDb();
	const database = openDatabase(':memory:');
	afterAll(() => database.close());
	return database;
}

function postgresTestDb(): OpenDb {
	const url = process.env.TEST_DATABASE_URL;
	if (!url) throw new Error('TEST_DIALECT=postgres needs TEST_DATABASE_URL');
	const schema = `pgwt_test_${randomBytes(6).toString('hex')}`;
	const pool = createPool(url, { schema, poolMax: 4 });
	// Kysely calls this on the first query, so the schema exists and is migrated even for specs
	// that query at the top level, before any beforeAll hook.
	const ready = async () => {
		await pool.query(`CREATE SCHEMA ${schema}`);
		await migratePostgres(pool);
		return pool;
	};
	const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: ready }) });
	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
		await db.destroy();
		// destroy() ends the pool only if a query ever ran.
		if (!pool.ended) await pool.end();
	};
	afterAll(close);
	return { db, dialect: 'postgres', close };
}
