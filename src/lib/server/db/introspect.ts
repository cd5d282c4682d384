// A dialect-neutral picture of a migrated schema, so a test can prove that the SQLite and the
// PostgreSQL migrations build the same tables (and that a migration added to one dialect only
// is caught). Types are mapped to families: integer (INTEGER/BIGINT/SMALLINT), text, real.
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';

export interface SchemaShape {
	/** `table.column: family [not null] [default]`, sorted. */
	columns: string[];
	/** `table(from) -> other(to) on delete X`, sorted. */
	foreignKeys: string[];
	/** `[unique ]table(col, expr, …)`, sorted; primary keys left out. */
	indexes: string[];
}

// FTS5 (SQLite) and tsvector (PostgreSQL) search tables differ on purpose; the rate-limit table
// belongs to the rate-limit store, not to the migrations.
const SKIP = /^(doc_search|rate_limits)/;

const family = (type: string): string => {
	const t = type.toLowerCase();
	if (/int/.test(t)) return 'integer';
	if (/text|char/.test(t)) return 'text';
	if (/real|double|float|numeric/.test(t)) return 'real';
	return t;
};

const column = (table: string, name: string, type: string, notNull: boolean, hasDefault: boolean) =>
	`${table}.${name}: ${family(type)}${notNull ? ' not null' : ''}${hasDefault ? ' default' : ''}`;

/** The shape of a migrated SQLite database. */
export function sqliteShape(sqlite: Database.Database): SchemaShape {
	const tables = (
		sqlite
			.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
			.all() as { name: string }[]
	)
		.map((r) => r.name)
		.filter((t) => !SKIP.test(t));
	const shape: SchemaShape = { columns: [], foreignKeys: [], indexes: [] };
	for (const t of tables) {
		type Col = { name: string; type: string; notnull: number; dflt_value: unknown; pk: number };
		for (const c of sqlite.pragma(`table_info(${t})`) as Col[]) {
			// A primary key column is never NULL in practice (PostgreSQL enforces it).
			shape.columns.push(column(t, c.name, c.type, !!c.notnull || c.pk > 0, c.dflt_value !== null));
		}
		type Fk = { table: string; from: string; to: string; on_delete: string };
		for (const f of sqlite.pragma(`foreign_key_list(${t})`) as Fk[]) {
			shape.foreignKeys.push(
				`${t}(${f.from}) -> ${f.table}(${f.to}) on delete ${f.on_delete.toLowerCase()}`
			);
		}
		type Ix = { name: string; unique: number; origin: string };
		for (const ix of sqlite.pragma(`index_list(${t})`) as Ix[]) {
			if (ix.origin === 'pk') continue;
			type Part = { name: string | null; key: number };
			const cols = (sqlite.pragma(`index_xinfo(${ix.name})`) as Part[])
				.filter((p) => p.key)
				.map((p) => p.name ?? 'expr');
			shape.indexes.push(`${ix.unique ? 'unique ' : ''}${t}(${cols.join(', ')})`);
		}
	}
	return sort(shape);
}

const DELETE_RULES: Record<string, string> = {
	a: 'no action',
	r: 'restrict',
	c: 'cascade',
	n: 'set null',
	d: 'set default'
};

/** The shape of the current schema of a migrated PostgreSQL database. */
export async function postgresShape(pool: Pool): Promise<SchemaShape> {
	const shape: SchemaShape = { columns: [], foreignKeys: [], indexes: [] };
	const cols = await pool.query<{
		table_name: string;
		column_name: string;
		data_type: string;
		is_nullable: string;
		column_default: string | null;
	}>(`SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default
		FROM information_schema.columns c
		JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`);
	for (const c of cols.rows) {
		if (SKIP.test(c.table_name)) continue;
		shape.columns.push(
			column(
				c.table_name,
				c.column_name,
				c.data_type,
				c.is_nullable === 'NO',
				c.column_default !== null
			)
		);
	}
	const fks = await pool.query<{ t: string; from: string; other: string; to: string; del: string }>(
		`SELECT con.conrelid::regclass::text AS t, a.attname AS from, con.confrelid::regclass::text AS other,
			b.attname AS to, con.confdeltype AS del
		FROM pg_constraint con
		JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
		JOIN pg_attribute b ON b.attrelid = con.confrelid AND b.attnum = con.confkey[1]
		WHERE con.contype = 'f' AND con.connamespace = current_schema()::regnamespace`
	);
	for (const f of fks.rows) {
		if (SKIP.test(f.t)) continue;
		shape.foreignKeys.push(
			`${f.t}(${f.from}) -> ${f.other}(${f.to}) on delete ${DELETE_RULES[f.del]}`
		);
	}
	const ixs = await pool.query<{ t: string; uniq: boolean; cols: string[] }>(
		`SELECT tbl.relname AS t, ix.indisunique AS uniq,
			array(SELECT coalesce(a.attname::text, 'expr') FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
				LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum AND k.attnum > 0
				ORDER BY k.n)::text[] AS cols
		FROM pg_index ix
		JOIN pg_class tbl ON tbl.oid = ix.indrelid
		WHERE tbl.relnamespace = current_schema()::regnamespace AND NOT ix.indisprimary`
	);
	for (const ix of ixs.rows) {
		if (SKIP.test(ix.t)) continue;
		shape.indexes.push(`${ix.uniq ? 'unique ' : ''}${ix.t}(${ix.cols.join(', ')})`);
	}
	return sort(shape);
}

function sort(shape: SchemaShape): SchemaShape {
	return {
		columns: shape.columns.sort(),
		foreignKeys: shape.foreignKeys.sort(),
		indexes: shape.indexes.sort()
	};
}
