import type { Conn, Db, Tx } from './index';

type Hook = (db: Db) => void;

/** The after-commit hooks of transactions opened with `transaction()`, by transaction. */
const pending = new WeakMap<Tx, Hook[]>();

/**
 * Runs `fn` in a transaction and, once it has committed, the hooks that code inside it
 * registered with `afterCommit` (e.g. waking the mail worker for a queued mail). A rollback
 * drops the hooks, so nothing is woken for rows that never existed.
 */
export async function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
	const hooks: Hook[] = [];
	const result = await db.transaction().execute((tx) => {
		pending.set(tx, hooks);
		return fn(tx);
	});
	for (const hook of hooks) hook(db);
	return result;
}

/**
 * Runs `hook` after `conn`'s transaction commits, or at once when `conn` is not a transaction
 * (its write has committed already). A transaction not opened with `transaction()` has no
 * commit to wait for, which is a programming error: it throws so a test finds it.
 */
export function afterCommit(conn: Conn, hook: Hook): void {
	if (!conn.isTransaction) return hook(conn as Db);
	const hooks = pending.get(conn as Tx);
	if (!hooks) throw new Error('afterCommit needs a transaction opened with transaction(db, …)');
	hooks.push(hook);
}
