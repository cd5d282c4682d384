// Every text column of every table, read from the live schema (both dialects), so that the
// erasure's address sweep (and its test) also covers tables added after this module was written.
import { sql } from 'kysely';
import type { Conn } from '$lib/server/db';
import { dialectOf } from '$lib/server/db/dialect';

/** A text column of a table. */
export interface TextColumn {
	table: string;
	column: string;
}

// FTS5 shadow tables of the docs index are not plain tables; the docs hold no personal data.
const NOT_PLAIN = /^(doc_search|sqlite_)/;

/** Every text column of every table of the connection's schema. */
export async function textColumns(db: Conn): Promise<TextColumn[]> {
	if (dialectOf(db) === 'postgres') {
		const { rows } = await sql<TextColumn>`
			SELECT c.table_name AS "table", c.column_name AS "column"
			FROM information_schema.columns c
			JOIN information_schema.tables t USING (table_schema, table_name)
			WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
				AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
			ORDER BY 1, 2`.execute(db);
		return rows.filter((r) => !NOT_PLAIN.test(r.table));
	}
	const { rows } = await sql<TextColumn & { type: string; sql: string | null }>`
		SELECT m.name AS "table", p.name AS "column", p.type AS type, m.sql AS sql
		FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table'
		ORDER BY 1, 2`.execute(db);
	return rows
		.filter((r) => !NOT_PLAIN.test(r.table) && !/^create virtual/i.test(r.sql ?? ''))
		.filter((r) => r.type === '' || /text|char|clob/i.test(r.type))
		.map(({ table, column }) => ({ table, column }));
}

/** Whether a table has the given column (e.g. `ticket_id`). */
export async function tablesWith(db: Conn, column: string): Promise<string[]> {
	const all = await allColumns(db);
	return [...new Set(all.filter((c) => c.column === column).map((c) => c.table))];
}

async function allColumns(db: Conn): Promise<TextColumn[]> {
	if (dialectOf(db) === 'postgres') {
		const { rows } = await sql<TextColumn>`
			SELECT c.table_name AS "table", c.column_name AS "column"
			FROM information_schema.columns c
			JOIN information_schema.tables t USING (table_schema, table_name)
			WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`.execute(db);
		return rows;
	}
	const { rows } = await sql<TextColumn & { sql: string | null }>`
		SELECT m.name AS "table", p.name AS "column", m.sql AS sql
		FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table'`.execute(db);
	return rows.filter((r) => !NOT_PLAIN.test(r.table) && !/^create virtual/i.test(r.sql ?? ''));
}

/** A row's stable handle inside one transaction: SQLite's rowid, PostgreSQL's ctid. */
export function rowHandle(db: Conn) {
	return dialectOf(db) === 'postgres' ? sql.raw('ctid::text') : sql.raw('rowid');
}

/** `handle = value` for a handle read with `rowHandle`. */
export function byHandle(db: Conn, value: string | number) {
	return dialectOf(db) === 'postgres' ? sql`ctid = ${value}::tid` : sql`rowid = ${value}`;
}

/** `col` contains `needle` (already lower case), ignoring letter case. */
export function containsLower(db: Conn, column: string, needle: string) {
	const col = sql.id(column);
	return dialectOf(db) === 'postgres'
		? sql`strpos(lower(${col}::text), ${needle}) > 0`
		: sql`instr(lower(${col}), ${needle}) > 0`;
}
