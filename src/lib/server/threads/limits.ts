import type Database from 'better-sqlite3';
import type { OpenDb } from '$lib/server/db';
import { app } from '$lib/server/app';
import type { Recipient } from '$lib/server/db/schema';
import { createLimiters, type LimitOutcome, type LimitRule } from '$lib/server/rate-limit';

export interface ThreadLimitRules {
	/** Replies per recipient link per window (REPLY_LIMIT_PER_TOKEN / REPLY_LIMIT_WINDOW_SEC). */
	replyLimit: LimitRule;
}

/** The thread page's limiters; SQLite-backed when given a handle, in memory otherwise (tests). */
export function createThreadLimits(rules: ThreadLimitRules, sqlite?: Database.Database) {
	const limiters = createLimiters({ threadReply: rules.replyLimit }, sqlite);
	return {
		/**
		 * Counts one reply against the link it came through. The key is the recipient's public id
		 * (the token's selector), so every link has its own budget and re-issuing a link doesn't
		 * reset it.
		 */
		reply(recipient: Pick<Recipient, 'public_id'>): Promise<LimitOutcome> {
			return limiters.take('threadReply', recipient.public_id);
		}
	};
}

export type ThreadLimits = ReturnType<typeof createThreadLimits>;

// Keyed by the open database (not its SQLite handle, which PostgreSQL has none of).
let current: { limits: ThreadLimits; database: OpenDb } | undefined;

/** The running app's thread limiters, built on first use from its config and database. */
export function threadLimits(): ThreadLimits {
	const { config, database } = app();
	if (current?.database !== database) {
		current = {
			limits: createThreadLimits(config.threads, database.sqlite),
			database
		};
	}
	return current.limits;
}
