import { createLimiters, retryIn, type LimitBackend, type LimitRule } from '$lib/server/rate-limit';
import { hashToken } from '$lib/server/tokens';

export interface PrivacyLimitRules {
	/** Data exports per session and per client per window (DATA_EXPORT_LIMIT / …_WINDOW_SEC). */
	export: LimitRule;
	/** Erasures per session and per client per window (DATA_ERASE_LIMIT / …_WINDOW_SEC). */
	erase: LimitRule;
}

export type PrivacyAction = 'export' | 'erase';

/** Who asks: a session (portal or staff) and the client it comes from. */
export interface Requester {
	/** A session id (hashed before it becomes a counter key) or null (the CLI has no limits). */
	sessionId: string | null;
	clientKey: string;
}

const WHAT: Record<PrivacyAction, string> = {
	export: 'data downloads',
	erase: 'data deletions'
};

/**
 * Limits on exports and erasures (both are heavy: a ZIP of every file, a scan of every text
 * column), counted per session and per client in the app's limit store.
 */
export function createPrivacyLimits(rules: PrivacyLimitRules, store?: LimitBackend) {
	const limiters = createLimiters(
		{
			'export-session': rules.export,
			'export-client': rules.export,
			'erase-session': rules.erase,
			'erase-client': rules.erase
		},
		store
	);
	return {
		/** Takes one action from the session's and the client's budget; a refusal has a sentence. */
		async take(action: PrivacyAction, who: Requester) {
			const pairs: [`${PrivacyAction}-${'session' | 'client'}`, string][] = [];
			// Counter keys never hold a session id in the clear.
			if (who.sessionId) pairs.push([`${action}-session`, hashToken(who.sessionId).slice(0, 32)]);
			pairs.push([`${action}-client`, who.clientKey]);
			const outcome = await limiters.takeAll(pairs);
			if (outcome.ok) return { ok: true as const };
			return {
				ok: false as const,
				retryAfterSec: outcome.retryAfterSec,
				message: `Too many ${WHAT[action]} in a short time. ${retryIn(outcome.retryAfterSec)}`
			};
		}
	};
}

export type PrivacyLimits = ReturnType<typeof createPrivacyLimits>;
