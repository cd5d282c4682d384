import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { OpenDb } from './types';
import { migratePostgres } from './migrate';
import type { DB } from './schema';

const INT8 = 20;
const NUMERIC = 1700;

// Times are integer milliseconds and ids are BIGINT; pg returns int8 (and count(*), sum())
// as strings by default. Parsed per pool, not on the global pg.types, so nothing else changes.
const types = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
		return pg.types.getTypeParser(oid, format);
	}
} as pg.CustomTypesConfig;

/** A schema name safe to splice into SQL: lower-case letters, digits and underscores. */
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A pool whose int8/numeric values come back as numbers. `schema` makes it work inside that
 * schema (tests, side-by-side installs); the schema is not created here.
 */
export function createPool(
	url: string,
	options: { poolMax?: number; schema?: string } = {}
): pg.Pool {
	if (options.schema !== undefined && !SCHEMA.test(options.schema)) {
		throw new Error(`Invalid schema name: ${options.schema}`);
	}
	const pool = new pg.Pool({
		connectionString: url,
		max: options.poolMax ?? 10,
		types,
		...(options.schema ? { options: `-c search_path=${options.schema}` } : {})
	});
	// An idle client losing its connection emits 'error' on the pool; without a listener that
	// would end the process. The next query gets a fresh connection (or a clear error).
	pool.on('error', (e) => console.error(`PostgreSQL pool: ${e.message}`));
	return pool;
}

/**
 * Opens a pool on a PostgreSQL database and applies pending migrations (under an advisory lock).
 * With `schema`, creates that schema if needed and works inside it.
 */
export async function openPostgres(
	url: string,
	options: { poolMax?: number; schema?: string; migrate?: boolean } = {}
): Promise<OpenDb> {
	const pool = createPool(url, options);
	try {
		if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
		if (options.migrate !== false) await migratePostgres(pool);
	} catch (e) {
		await pool.end();
		throw e;
	}
	const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
	return {
		db,
		dialect: 'postgres',
		pool,
		async close() {
			await db.destroy();
		}
	};
}
