import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type Transaction } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DB } from './schema';
import { migrate } from './migrate';
import { cachedStatements } from './sqlite-cache';
import type { OpenDb } from './types';

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** A database handle or an open transaction: what domain functions take first. */
export type Conn = Kysely<DB> | Transaction<DB>;
export type { Dialect, OpenDb } from './types';
export { dialectOf } from './dialect';
export type SqliteDb = OpenDb & { dialect: 'sqlite'; sqlite: Database.Database };

/** Where the data lives: `databaseUrl` (PostgreSQL) when set, else the SQLite file. */
export interface DatabaseConfig {
	dbFile: string;
	databaseUrl: string | null;
	databasePoolMax: number;
}

/**
 * The one place the dialect is chosen: PostgreSQL when `DATABASE_URL` is set, otherwise SQLite
 * in `DATA_DIR`. Applies pending migrations unless `migrate: false`.
 */
export async function connectDatabase(
	config: DatabaseConfig,
	options: { migrate?: boolean } = {}
): Promise<OpenDb> {
	if (config.databaseUrl) {
		// Loaded only when configured: the SQLite default never loads the PostgreSQL driver.
		const { openPostgres } = await import('./postgres');
		return openPostgres(config.databaseUrl, { poolMax: config.databasePoolMax, ...options });
	}
	return openDatabase(config.dbFile, options);
}

/**
 * Opens (creating if needed) the SQLite file, sets the durability pragmas and applies pending
 * migrations. `':memory:'` works for tests.
 */
export function openDatabase(file: string, options: { migrate?: boolean } = {}): SqliteDb {
	if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
	const sqlite = new Database(file);
	applyPragmas(sqlite, file !== ':memory:');
	if (options.migrate !== false) migrate(sqlite);
	const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachedStatements(sqlite) }) });
	return {
		db,
		dialect: 'sqlite',
		sqlite,
		async close() {
			await db.destroy();
		}
	};
}

/**
 * Opens (creating if needed) the SQLite file that holds rate-limit counters: a file and a
 * connection of their own, WAL with `synchronous = NORMAL`. A counter update then never joins
 * a request's open transaction on the main connection, never waits behind its durable commit,
 * and costs no fsync of its own; counters survive a crash or restart of the process and may
 * lose the last few seconds only on power loss (then a client gets a few attempts more).
 */
export function openCounterFile(file: string): Database.Database {
	mkdirSync(dirname(file), { recursive: true });
	const sqlite = new Database(file);
	const mode = sqlite.pragma('journal_mode = WAL', { simple: true });
	if (mode !== 'wal') throw new Error(`SQLite refused WAL mode (got ${String(mode)})`);
	sqlite.pragma('synchronous = NORMAL');
	sqlite.pragma('busy_timeout = 5000');
	return sqlite;
}

function applyPragmas(sqlite: Database.Database, onDisk: boolean): void {
	if (onDisk) {
		const mode = sqlite.pragma('journal_mode = WAL', { simple: true });
		if (mode !== 'wal') throw new Error(`SQLite refused WAL mode (got ${String(mode)})`);
	}
	// The bundled build silently uses NORMAL for WAL connections; a reply the user was told was
	// saved must survive power loss, so insist on FULL and check it took.
	sqlite.pragma('synchronous = FULL');
	const sync = sqlite.pragma('synchronous', { simple: true });
	if (sync !== 2) throw new Error(`SQLite synchronous is ${String(sync)}, expected 2 (FULL)`);
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	// Each action of a group commit runs in a savepoint, whose undo log (the statement journal) is
	// a temporary file: written through the file system, it made a ticket's insert (ten indexes)
	// take twice as long under load (120 µs against 63 µs; 3–4× in a bare loop). In memory it
	// is dropped at each release; it is never needed after a crash (the WAL is). Large sorts
	// without an index keep their temporary data in memory as well.
	sqlite.pragma('temp_store = MEMORY');
}
