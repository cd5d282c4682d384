import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import type { Kysely } from 'kysely';
import type { DB } from './schema';

export type Dialect = 'sqlite' | 'postgres';
export interface OpenDb {
	db: Kysely<DB>;
	dialect: Dialect;
	/** The raw SQLite handle (SQLite only): pragmas, backup, the SQLite rate-limit store. */
	sqlite?: Database.Database;
	/** The `pg` pool (PostgreSQL only): the shared rate-limit store uses it. */
	pool?: Pool;
	close(): Promise<void>;
}
