import type Database from 'better-sqlite3';
import { RateLimiterMemory, RateLimiterRes, RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';

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
 * Named rate limits backed by rate-limiter-flexible. With a SQLite handle the counters live in
 * the database (table `rate_limits`) and survive a restart; without one they are in memory
 * (tests). Behind this one interface so another store can be chosen for several instances.
 */
export function createLimiters<Name extends string>(rules: Record<Name, LimitRule>, sqlite?: Database.Database) {
	const limiters = new Map<string, RateLimiterAbstract>();
	// The library creates its table asynchronously; create it up front so the first take works.
	sqlite?.exec('CREATE TABLE IF NOT EXISTS rate_limits (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)');
	for (const [name, rule] of Object.entries(rules) as [Name, LimitRule][]) {
		const opts = { keyPrefix: name, points: rule.points, duration: rule.durationSec };
		limiters.set(
			name,
			sqlite
				? new RateLimiterSQLite({ ...opts, storeClient: sqlite, storeType: 'better-sqlite3', tableName: 'rate_limits', tableCreated: true })
				: new RateLimiterMemory(opts)
		);
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
export function retryIn(seconds: number): string {
	if (seconds < 60) return `Please try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
	const minutes = Math.ceil(seconds / 60);
	if (minutes < 60) return `Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
	const hours = Math.ceil(minutes / 60);
	return `Please try again in ${hours} hour${hours === 1 ? '' : 's'}.`;
}
