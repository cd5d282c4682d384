import { sql, type KyselyPlugin } from 'kysely';
import { dialectOf } from './dialect';
import type { Conn, Db, Tx } from './index';

type Hook = (db: Db) => void;

/** The after-commit hooks of transactions opened with `transaction()`, by transaction. */
const pending = new WeakMap<Tx, Hook[]>();

/**
 * Runs `fn` in a transaction and, once it has committed, the hooks that code inside it
 * registered with `afterCommit` (e.g. waking the mail worker for a queued mail). A rollback
 * drops the hooks, so nothing is woken for rows that never existed.
 *
 * On SQLite, user actions that arrive while another one is committing share the next commit
 * (group commit, see `groupCommit`): each still runs alone and all-or-nothing (a savepoint of
 * its own), and each promise settles only after the commit that made it durable.
 */
export async function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
	if (dialectOf(db) === 'sqlite') return groupCommit(db, fn);
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

interface Job {
	fn: (tx: Tx) => Promise<unknown>;
	resolve: (value: unknown) => void;
	reject: (reason: unknown) => void;
}

interface Queue {
	jobs: Job[];
	running: boolean;
}

/** Most actions sharing one commit: bounds how long the last one waits for the first. */
const BATCH_MAX = 64;
const queues = new WeakMap<Db, Queue>();

// A plugin that changes nothing: `withPlugin` gives each action a transaction object of its own
// (same connection), so its after-commit hooks stay its own.
const identity: KyselyPlugin = {
	transformQuery: (args) => args.node,
	transformResult: async (args) => args.result
};

/**
 * SQLite group commit. With `synchronous = FULL` every commit waits for the disk (an fsync), and
 * one connection commits one transaction at a time: under concurrent writes the disk, not the
 * CPU, set the pace. Actions that queue up while a commit is in progress run together in the
 * next transaction, each inside its own savepoint, so one action's failure rolls back only its
 * own writes; then one commit makes all of them durable before any of them is answered. A failed
 * commit fails every action in it (none was acknowledged).
 */
function groupCommit<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
	let queue = queues.get(db);
	if (!queue) queues.set(db, (queue = { jobs: [], running: false }));
	const q = queue;
	const done = new Promise<T>((resolve, reject) => {
		q.jobs.push({ fn, resolve: resolve as (v: unknown) => void, reject });
	});
	if (!q.running) {
		// Start on the next turn of the event loop: requests that arrived together (while the
		// last commit held the loop) reach this point in the same turn and share one commit.
		q.running = true;
		setImmediate(() => void drain(db, q));
	}
	return done;
}

async function drain(db: Db, q: Queue): Promise<void> {
	try {
		while (q.jobs.length) await runBatch(db, q.jobs.splice(0, BATCH_MAX));
	} finally {
		q.running = false;
	}
}

type Outcome = { ok: true; value: unknown; hooks: Hook[] } | { ok: false; error: unknown };

async function runBatch(db: Db, jobs: Job[]): Promise<void> {
	const outcomes: Outcome[] = [];
	try {
		await db.transaction().execute(async (tx) => {
			for (const job of jobs) outcomes.push(await runAlone(tx, job));
		});
	} catch (error) {
		// The commit itself failed (disk full, I/O error): nothing of this batch exists.
		for (const job of jobs) job.reject(error);
		return;
	}
	jobs.forEach((job, i) => {
		const o = outcomes[i];
		if (!o.ok) return job.reject(o.error);
		for (const hook of o.hooks) hook(db);
		job.resolve(o.value);
	});
}

/** One action inside the shared transaction, all-or-nothing through a savepoint. */
async function runAlone(tx: Tx, job: Job): Promise<Outcome> {
	const own = tx.withPlugin(identity);
	const hooks: Hook[] = [];
	pending.set(own, hooks);
	await sql`SAVEPOINT action`.execute(tx);
	try {
		const value = await job.fn(own);
		await sql`RELEASE SAVEPOINT action`.execute(tx);
		return { ok: true, value, hooks };
	} catch (error) {
		await sql`ROLLBACK TO SAVEPOINT action`.execute(tx);
		await sql`RELEASE SAVEPOINT action`.execute(tx);
		return { ok: false, error };
	}
}
