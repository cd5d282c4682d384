// The few SQL differences between SQLite and PostgreSQL that domain code needs, so domain
// modules stay dialect-free: they call these helpers instead of writing dialect SQL.
import {
	PostgresAdapter,
	sql,
	type Expression,
	type Kysely,
	type RawBuilder,
	type SelectQueryBuilder,
	type SqlBool
} from 'kysely';

// Any schema: these helpers only look at the connection's adapter or build SQL fragments.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Which database a connection (or transaction) talks to. */
export function dialectOf(db: AnyDb): 'sqlite' | 'postgres' {
	return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** `%text%` with LIKE's wildcards (and the escape character) escaped, for `containsText`. */
export function likePattern(text: string): string {
	return `%${text.replace(/[%_\\]/g, '\\$&')}%`;
}

/**
 * True when any of `columns` contains `text`, ignoring letter case: SQLite's LIKE already does
 * (for ASCII), PostgreSQL needs ILIKE. NULL columns count as empty.
 */
export function containsText(
	db: AnyDb,
	columns: Expression<string | null>[],
	text: string
): RawBuilder<SqlBool> {
	const op = sql.raw(dialectOf(db) === 'postgres' ? 'ilike' : 'like');
	const p = likePattern(text);
	const tests = columns.map((c) => sql`coalesce(${c}, '') ${op} ${p} escape '\\'`);
	return sql<SqlBool>`(${sql.join(tests, sql` or `)})`;
}

/**
 * Rows a worker claims: on PostgreSQL locked (`FOR UPDATE SKIP LOCKED`), so concurrent workers
 * on other instances skip them instead of waiting; SQLite has one writer, so nothing to add.
 */
export function skipLocked<DB, TB extends keyof DB, O>(
	db: AnyDb,
	query: SelectQueryBuilder<DB, TB, O>
): SelectQueryBuilder<DB, TB, O> {
	return dialectOf(db) === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/**
 * Makes start-up work that every instance runs (seeding, reindexing) take turns: on PostgreSQL
 * a transaction-scoped advisory lock named `name`, held until `tx` commits or rolls back, so the
 * second instance sees what the first wrote. SQLite transactions already run one at a time.
 */
export async function takeTurns(tx: AnyDb, name: string): Promise<void> {
	if (dialectOf(tx) !== 'postgres') return;
	await sql`SELECT pg_advisory_xact_lock(hashtext(${name}))`.execute(tx);
}
