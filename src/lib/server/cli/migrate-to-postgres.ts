// `migrate-to-postgres --to postgres://…`: moves a SQLite install into an empty PostgreSQL
// database in one transaction: every table, ids kept, identity sequences moved past them.
import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { createStorage } from '$lib/server/attachments/create-storage';
import { localStorage, type AttachmentStorage } from '$lib/server/attachments/storage';
import type { Config } from '$lib/server/config';
import { openDatabase, type Conn } from '$lib/server/db';
import { openPostgres } from '$lib/server/db/postgres';
import { copyAttachments, namedKeys, type FileCopy } from './copy-attachments';

// Rebuilt at start (the docs index) or only worth keeping for a few minutes (rate-limit counters).
const SKIP = /^(sqlite_|doc_search|rate_limits$|schema_migrations$)/;
const BATCH = 500;

interface Plan {
	table: string;
	columns: string[];
	/** Nullable foreign-key columns written after every table is in (reference cycles). */
	later: string[];
}

/**
 * Orders the tables so each comes after the tables it references; where references form a
 * cycle (projects ↔ ticket_types), the nullable columns closing it are filled in afterwards.
 */
export function copyPlan(sqlite: Database.Database): Plan[] {
	const tables = (
		sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
			name: string;
		}[]
	)
		.map((r) => r.name)
		.filter((t) => !SKIP.test(t));
	type Col = { name: string; notnull: number };
	type Fk = { table: string; from: string };
	const info = new Map(
		tables.map((t) => [
			t,
			{
				columns: (sqlite.pragma(`table_info(${t})`) as Col[]).map((c) => c),
				fks: (sqlite.pragma(`foreign_key_list(${t})`) as Fk[]).filter((f) => f.table !== t)
			}
		])
	);
	const placed = new Set<string>();
	const plan: Plan[] = [];
	while (plan.length < tables.length) {
		const waiting = tables.filter((t) => !placed.has(t));
		let next = waiting.find((t) => info.get(t)!.fks.every((f) => placed.has(f.table)));
		let later: string[] = [];
		if (!next) {
			// A cycle: take a table whose unplaced references are all nullable and defer those.
			next = waiting.find((t) =>
				info
					.get(t)!
					.fks.filter((f) => !placed.has(f.table))
					.every((f) => !info.get(t)!.columns.find((c) => c.name === f.from)?.notnull)
			);
			if (!next)
				throw new Error(
					`Cannot order tables ${waiting.join(', ')} (required references form a cycle)`
				);
			later = info
				.get(next)!
				.fks.filter((f) => !placed.has(f.table))
				.map((f) => f.from);
		}
		placed.add(next);
		plan.push({ table: next, columns: info.get(next)!.columns.map((c) => c.name), later });
	}
	return plan;
}

/** Throws unless every table the copy writes is empty (the built-in ticket types aside). */
async function assertEmpty(tx: Conn, plan: Plan[]) {
	for (const { table } of plan) {
		const { n } = (
			await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(tx)
		).rows[0];
		// The migrations seed the built-in ticket types; those come from the source with their ids.
		const seeded = table === 'ticket_types' ? await builtInOnly(tx) : n === 0;
		if (!seeded)
			throw new Error(
				`The target database is not empty (table ${table} has ${n} rows); use a new, empty database`
			);
	}
}

export interface MigrateOptions {
	/** PostgreSQL schema to write into (tests); default the connection's. */
	schema?: string;
	/** Attachment files to move along (`STORAGE_URL` set): from the install's folder to it. */
	files?: { from: AttachmentStorage; to: AttachmentStorage };
}

/**
 * Copies the SQLite database `file` into the PostgreSQL database at `url`; returns row counts,
 * and with `files` the attachment files copied first (after the target was found empty), so the
 * rows never name a file the shared storage lacks.
 */
export async function migrateToPostgres(file: string, url: string, options: MigrateOptions = {}) {
	if (!existsSync(file)) throw new Error(`No database at ${file}; check DATA_DIR`);
	const source = openDatabase(file);
	const target = await openPostgres(url, { poolMax: 2, schema: options.schema });
	try {
		const plan = copyPlan(source.sqlite);
		const counts: Record<string, number> = {};
		let files: FileCopy | null = null;
		if (options.files) {
			await assertEmpty(target.db, plan);
			files = await copyAttachments(options.files.from, options.files.to, namedKeys(source.sqlite));
		}
		await target.db.transaction().execute(async (tx) => {
			await assertEmpty(tx, plan);
			await sql`DELETE FROM ticket_types`.execute(tx);
			const deferred: { table: string; later: string[]; rows: Record<string, unknown>[] }[] = [];
			for (const { table, columns, later } of plan) {
				const rows = source.sqlite.prepare(`SELECT * FROM "${table}"`).all() as Record<
					string,
					unknown
				>[];
				for (let i = 0; i < rows.length; i += BATCH) {
					const values = rows
						.slice(i, i + BATCH)
						.map((r) => ({ ...r, ...Object.fromEntries(later.map((c) => [c, null])) }));
					await tx
						.insertInto(table as never)
						.values(values as never)
						.execute();
				}
				if (later.length) deferred.push({ table, later, rows });
				const seq = columns.includes('id')
					? (
							await sql<{
								s: string | null;
							}>`SELECT pg_get_serial_sequence(${table}, 'id') AS s`.execute(tx)
						).rows[0].s
					: null;
				if (seq) {
					await sql`SELECT setval(${seq}, coalesce(max(id), 0) + 1, false) FROM ${sql.table(table)}`.execute(
						tx
					);
				}
				const copied = (
					await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(tx)
				).rows[0].n;
				if (copied !== rows.length)
					throw new Error(
						`Row count of ${table} differs: ${rows.length} in SQLite, ${copied} copied`
					);
				counts[table] = copied;
			}
			for (const { table, later, rows } of deferred) {
				for (const column of later) {
					for (const r of rows.filter((r) => r[column] !== null)) {
						await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${r[column]} WHERE id = ${r.id}`.execute(
							tx
						);
					}
				}
			}
		});
		return { counts, files };
	} finally {
		await source.close();
		await target.close();
	}
}

async function builtInOnly(tx: Conn) {
	const rows = await tx.selectFrom('ticket_types').select(['project_id']).execute();
	return rows.every((r) => r.project_id === null) && rows.length <= 3;
}

/** The CLI command. */
export const migrateToPostgresCommand = {
	usage: 'migrate-to-postgres --to postgres://…',
	summary: 'copy this SQLite install into an empty PostgreSQL database (ids kept, counts checked)',
	async run(args: string[], config: Config): Promise<number> {
		const i = args.indexOf('--to');
		const url = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--to='))?.slice(5);
		if (!url || !/^postgres(ql)?:\/\//.test(url)) {
			console.error(
				'Usage: npm run portal -- migrate-to-postgres --to postgres://user@host:5432/portal'
			);
			return 2;
		}
		const s3 = config.storage.kind === 's3' ? config.storage : null;
		const { counts, files } = await migrateToPostgres(config.dbFile, url, {
			files: s3
				? { from: localStorage(config.attachmentsDir), to: await createStorage(config) }
				: undefined
		});
		const total = Object.values(counts).reduce((a, b) => a + b, 0);
		console.log(
			`Copied ${total} rows in ${Object.keys(counts).length} tables from ${config.dbFile}; row counts match.`
		);
		if (s3 && files) {
			const mb = (files.bytes / 1048576).toFixed(1);
			console.log(
				`Copied ${files.copied} attachment files (${mb} MB) from ${config.attachmentsDir} to s3://${s3.bucket}/${s3.prefix}, each checked by size; ${files.present} were already there.`
			);
			if (files.missing.length)
				console.log(
					`${files.missing.length} files named by attachment rows were missing from ${config.attachmentsDir} (their downloads were already broken): ${files.missing.slice(0, 10).join(', ')}${files.missing.length > 10 ? ', …' : ''}`
				);
		} else {
			console.log(
				`Attachment files were not copied (STORAGE_URL is not set): put ${config.attachmentsDir} on the folder every instance mounts, or set STORAGE_URL and run this again on a new database.`
			);
		}
		console.log(
			'Set DATABASE_URL to that database and keep SECRET_KEY (or DATA_DIR/secret.key) so emailed links keep working.'
		);
		return 0;
	}
};
