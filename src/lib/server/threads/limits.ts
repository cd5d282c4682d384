import type { Recipient } from '$lib/server/db/schema';
import {
	createLimiters,
	type LimitBackend,
	type LimitOutcome,
	type LimitRule
} from '$lib/server/rate-limit';

export interface ThreadLimitRules {
	/** Replies per recipient link per window (REPLY_LIMIT_PER_TOKEN / REPLY_LIMIT_WINDOW_SEC). */
	replyLimit: LimitRule;
}

/** The thread page's limiters; SQLite-backed when given a handle, in memory otherwise (tests). */
export function createThreadLimits(rules: ThreadLimitRules, store?: LimitBackend) {
	const limiters = createLimiters({ threadReply: rules.replyLimit }, store);
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
