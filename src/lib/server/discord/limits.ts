import {
	createLimiters,
	type LimitBackend,
	type LimitOutcome,
	type LimitRule
} from '$lib/server/rate-limit';

export interface DiscordLimitRules {
	/** Tickets per Discord user (DISCORD_CREATE_LIMIT_PER_USER / _WINDOW_SEC). */
	perUser: LimitRule;
	/** The install-wide cap on new tickets (CREATE_LIMIT_GLOBAL / CREATE_LIMIT_WINDOW_SEC). */
	global: LimitRule;
}

/**
 * Limits on tickets opened from Discord: the Discord user stands in for the web's client address,
 * and every ticket counts against the install-wide cap. That cap's rule name and key are the ones
 * of the create page (tickets/limits.ts), so with the same SQLite store web and Discord share one
 * counter.
 */
export function createDiscordLimits(rules: DiscordLimitRules, store?: LimitBackend) {
	const limiters = createLimiters(
		{ 'discord-create': rules.perUser, 'create-global': rules.global },
		store
	);
	return {
		create(userId: string): Promise<LimitOutcome> {
			return limiters.takeAll([
				['discord-create', userId],
				['create-global', '*']
			]);
		}
	};
}

export type DiscordLimits = ReturnType<typeof createDiscordLimits>;
