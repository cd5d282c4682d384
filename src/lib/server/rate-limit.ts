import { m } from '$lib/paraglide/messages.js';
import type { Locale } from '$lib/paraglide/runtime.js';
import type Database from 'better-sqlite3';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { openCounterFile } from './db';
import {
	RateLimiterMemory,
	RateLimiterPostgres,
	RateLimiterRedis,
	RateLimiterRes,
	RateLimiterSQLite,
	type RateLimiterAbstract
} from 'rate-limiter-flexible';

/** `points` actions per `durationSec` seconds for one key. */
export interface LimitRule {
	points: number;
	durationSec: number;
}

export type LimitOutcome =
	| { ok: true }
	| {
			ok: false;
			/** Which rule refused. */
			name: string;
			/** Whole seconds until the key may try again (for `Retry-After`). */
			retryAfterSec: number;
	  };

/**
 * Where counters live. Several instances must share one: Redis, or PostgreSQL. SQLite (one
 * process, survives a restart) and memory (lost on restart) are the single-instance stores.
 */
export type LimitStore =
	| { kind: 'memory' }
	| { kind: 'sqlite'; db: Database.Database }
	| { kind: 'redis'; client: Redis; prefix: string }
	| { kind: 'postgres'; pool: Pool; schema?: string };

/** A store, or (as before) a bare SQLite handle, or nothing for memory. */
export type LimitBackend = LimitStore | Database.Database | undefined;

const TABLE = 'rate_limits';

function storeOf(backend: LimitBackend): LimitStore {
	if (!backend) return { kind: 'memory' };
	return 'kind' in backend ? backend : { kind: 'sqlite', db: backend };
}

/** Whether counters are shared between instances (so in-memory-only limits can move there too). */
export function isShared(backend: LimitBackend): boolean {
	const kind = storeOf(backend).kind;
	return kind === 'redis' || kind === 'postgres';
}

function limiterFor(store: LimitStore, name: string, rule: LimitRule): RateLimiterAbstract {
	const opts = { keyPrefix: name, points: rule.points, duration: rule.durationSec };
	switch (store.kind) {
		case 'memory':
			return new RateLimiterMemory(opts);
		case 'sqlite':
			return new RateLimiterSQLite({
				...opts,
				storeClient: store.db,
				storeType: 'better-sqlite3',
				tableName: TABLE,
				tableCreated: true
			});
		case 'redis':
			return new RateLimiterRedis({
				...opts,
				keyPrefix: store.prefix + name,
				storeClient: store.client,
				useRedisPackage: false
			});
		case 'postgres':
			return new RateLimiterPostgres({
				...opts,
				storeClient: store.pool,
				storeType: 'pool',
				tableName: TABLE,
				schemaName: store.schema,
				tableCreated: true,
				// Expired rows are skipped on read; one sweeper per instance would race for nothing.
				clearExpiredByTimeout: false
			});
	}
}

/**
 * Builds the counter store the configuration asks for: Redis when `REDIS_URL` is set, else
 * PostgreSQL when the app runs on it (a pool is given), else the SQLite database, else memory.
 * Creates the PostgreSQL table up front (the library would do it asynchronously and refuse
 * the first requests). `close` ends the Redis connection.
 */
export async function createLimitStore(
	config: { redisUrl: string | null },
	deps: {
		sqlite?: Database.Database;
		/** SQLite only: a counters file of its own (see `openCounterFile`), closed by `close`. */
		sqliteFile?: string;
		pool?: Pool;
		schema?: string;
		redisPrefix?: string;
	} = {}
): Promise<{ store: LimitStore; close(): Promise<void> }> {
	if (config.redisUrl) {
		// A few quick retries, then an error (a refused request) rather than a hung one.
		// Loaded only when configured: a single SQLite instance never pays for the client.
		const { Redis } = await import('ioredis');
		const client = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
		await client.connect();
		return {
			store: { kind: 'redis', client, prefix: deps.redisPrefix ?? 'portal:rl:' },
			close: async () => void (await client.quit().catch(() => client.disconnect()))
		};
	}
	if (deps.pool) {
		const table = deps.schema ? `"${deps.schema}".${TABLE}` : TABLE;
		try {
			await deps.pool.query(
				`CREATE TABLE IF NOT EXISTS ${table} (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`
			);
		} catch (err) {
			// Two instances creating it at once: one loses the race on the catalog, the table exists.
			if (!['23505', '42P07'].includes((err as { code?: string }).code ?? '')) throw err;
		}
		return {
			store: { kind: 'postgres', pool: deps.pool, schema: deps.schema },
			close: async () => {}
		};
	}
	if (deps.sqliteFile) {
		const counters = openCounterFile(deps.sqliteFile);
		return { store: { kind: 'sqlite', db: counters }, close: async () => void counters.close() };
	}
	return { store: storeOf(deps.sqlite), close: async () => {} };
}

/**
 * Named rate limits backed by rate-limiter-flexible, in the given store (see `LimitStore`).
 * A bare SQLite handle keeps its counters in table `rate_limits`; nothing means memory (tests).
 */
export function createLimiters<Name extends string>(
	rules: Record<Name, LimitRule>,
	backend?: LimitBackend
) {
	const store = storeOf(backend);
	const limiters = new Map<string, RateLimiterAbstract>();
	// The library creates its table asynchronously; create it up front so the first take works.
	if (store.kind === 'sqlite')
		store.db.exec(
			`CREATE TABLE IF NOT EXISTS ${TABLE} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`
		);
	for (const [name, rule] of Object.entries(rules) as [Name, LimitRule][]) {
		limiters.set(name, limiterFor(store, name, rule));
	}

	async function take(name: Name, key: string, points = 1): Promise<LimitOutcome> {
		const limiter = limiters.get(name);
		if (!limiter) throw new Error(`unknown rate limit ${name}`);
		if ((rules[name].points ?? 0) <= 0) return { ok: true }; // 0 = limit off
		try {
			await limiter.consume(key, points);
			return { ok: true };
		} catch (res) {
			if (res instanceof RateLimiterRes) {
				return { ok: false, name, retryAfterSec: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
			}
			throw res;
		}
	}

	/** Returns one point per pair, never below zero (a window that ended meanwhile stays ended). */
	async function giveBack(pairs: [Name, string][]): Promise<void> {
		for (const [name, key] of pairs) {
			const limiter = limiters.get(name);
			if (!limiter || (rules[name].points ?? 0) <= 0) continue;
			const current = await limiter.get(key);
			if (current && current.consumedPoints > 0) await limiter.reward(key, 1);
		}
	}

	return {
		take,
		/**
		 * Takes one point from each (rule, key) pair in order and stops at the first refusal.
		 * Checking the broadest rules last keeps one noisy client from using up the global budget.
		 */
		async takeAll(pairs: [Name, string][]): Promise<LimitOutcome> {
			for (const [name, key] of pairs) {
				const outcome = await take(name, key);
				if (!outcome.ok) return outcome;
			}
			return { ok: true };
		},
		/**
		 * Like `takeAll`, but all or nothing: on a refusal the points already taken (and the
		 * refused one) are given back, and a success can be given back with `release()` when the
		 * action it paid for did not happen — so only what actually happened counts.
		 */
		async reserve(pairs: [Name, string][]): Promise<Reservation> {
			const taken: [Name, string][] = [];
			for (const [name, key] of pairs) {
				const outcome = await take(name, key);
				if (!outcome.ok) {
					await giveBack([...taken, [name, key]]);
					return outcome;
				}
				taken.push([name, key]);
			}
			let released = false;
			return {
				ok: true,
				release: async () => {
					if (released) return;
					released = true;
					await giveBack(taken);
				}
			};
		},
		/** Points a key has used in its current window (0 when none or the window ended). */
		async count(name: Name, key: string): Promise<number> {
			const res = await limiters.get(name)?.get(key);
			return res && res.msBeforeNext > 0 ? res.consumedPoints : 0;
		},
		/** Forgets a key's counter (e.g. after a successful login). */
		async reset(name: Name, key: string): Promise<void> {
			await limiters.get(name)?.delete(key);
		}
	};
}

export type Reservation =
	| {
			ok: true;
			/** Gives the points back: the reserved action did not happen. */ release(): Promise<void>;
	  }
	| Exclude<LimitOutcome, { ok: true }>;

export type Limiters<Name extends string> = ReturnType<typeof createLimiters<Name>>;

/** A human sentence for a refusal: "Please try again in 3 minutes." */
export function retryIn(seconds: number, locale?: Locale): string {
	const o = locale ? { locale } : undefined;
	if (seconds < 60) return m.form_retry_seconds({ count: seconds }, o);
	const minutes = Math.ceil(seconds / 60);
	if (minutes < 60) return m.form_retry_minutes({ count: minutes }, o);
	return m.form_retry_hours({ count: Math.ceil(minutes / 60) }, o);
}
