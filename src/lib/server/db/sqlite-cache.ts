import type Database from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * better-sqlite3 as Kysely's SqliteDialect sees it, with prepared statements reused: the dialect
 * prepares every query anew, and compiling SQL costs more than running the small indexed queries
 * a page makes. Kysely's SQL text is stable per query shape (values are parameters), so a small
 * LRU keyed by the text holds the working set. Statements are only used one at a time: the
 * dialect runs one query at a time on its single connection.
 */
export function cachedStatements(sqlite: Database.Database, size = 256): SqliteDatabase {
	const cache = new Map<string, Database.Statement>();
	return {
		prepare(sql) {
			let stmt = cache.get(sql);
			if (stmt) {
				cache.delete(sql); // re-insert: most recently used last
			} else {
				stmt = sqlite.prepare(sql);
				if (cache.size >= size) cache.delete(cache.keys().next().value!);
			}
			cache.set(sql, stmt);
			return stmt;
		},
		close() {
			cache.clear();
			sqlite.close();
		}
	};
}
