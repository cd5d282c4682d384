import type Database from 'better-sqlite3';
import type { Pool } from 'pg';

/** Migration files, bundled at build time: `migrations/<dialect>/NNNN_name.sql`. */
const sqliteFiles = import.meta.glob('/migrations/sqlite/*.sql', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;
const postgresFiles = import.meta.glob('/migrations/postgres/*.sql', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

export interface Migration {
	version: string;
	sql: string;
}

const list = (files: Record<string, string>): Migration[] =>
	Object.entries(files)
		.map(([path, sql]) => ({ version: path.replace(/^.*\//, '').replace(/\.sql$/, ''), sql }))
		.sort((a, b) => a.version.localeCompare(b.version));

/** SQLite migrations (`migrations/sqlite`). */
export const migrations: Migration[] = list(sqliteFiles);
/** PostgreSQL migrations (`migrations/postgres`), numbered like the SQLite ones. */
export const postgresMigrations: Migration[] = list(postgresFiles);

/**
 * Applies every migration not yet recorded in `schema_migrations`, each inside its own
 * transaction. Returns the versions applied now. Safe to call on every start.
 */
export function migrate(sqlite: Database.Database, list: Migration[] = migrations): string[] {
	sqlite.exec(
		'CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)'
	);
	const done = new Set(
		(sqlite.prepare('SELECT version FROM schema_migrations').all() as { version: string }[]).map(
			(r) => r.version
		)
	);
	const record = sqlite.prepare(
		'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)'
	);
	const applied: string[] = [];
	for (const m of list) {
		if (done.has(m.version)) continue;
		sqlite.transaction(() => {
			sqlite.exec(m.sql);
			record.run(m.version, Date.now());
		})();
		applied.push(m.version);
	}
	return applied;
}

/**
 * PostgreSQL: the same, under a session advisory lock keyed by the schema, so several instances
 * starting together wait for each other and each migration is applied exactly once.
 */
export async function migratePostgres(
	pool: Pool,
	list: Migration[] = postgresMigrations
): Promise<string[]> {
	const client = await pool.connect();
	const lock = `SELECT hashtextextended('ticket-portal migrations ' || current_schema(), 0) AS k`;
	let key: string | undefined;
	try {
		key = String((await client.query<{ k: string }>(lock)).rows[0].k);
		await client.query('SELECT pg_advisory_lock($1)', [key]);
		await client.query(
			'CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)'
		);
		const done = new Set(
			(await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map(
				(r) => r.version
			)
		);
		const applied: string[] = [];
		for (const m of list) {
			if (done.has(m.version)) continue;
			try {
				await client.query('BEGIN');
				await client.query(m.sql);
				await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
					m.version,
					Date.now()
				]);
				await client.query('COMMIT');
			} catch (e) {
				await client.query('ROLLBACK');
				throw new Error(`Migration ${m.version} failed: ${(e as Error).message}`, { cause: e });
			}
			applied.push(m.version);
		}
		return applied;
	} finally {
		if (key !== undefined)
			await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => {});
		client.release();
	}
}
