import type Database from 'better-sqlite3';

/** Migration files, bundled at build time: `migrations/NNNN_name.sql`. */
const files = import.meta.glob('/migrations/*.sql', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

export interface Migration {
	version: string;
	sql: string;
}

export const migrations: Migration[] = Object.entries(files)
	.map(([path, sql]) => ({ version: path.replace(/^.*\//, '').replace(/\.sql$/, ''), sql }))
	.sort((a, b) => a.version.localeCompare(b.version));

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
	const record = sqlite.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
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
