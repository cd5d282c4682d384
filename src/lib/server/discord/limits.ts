import type Database from 'better-sqlite3';
import type { OpenDb } from '$lib/server/db';
import { app } from '$lib/server/app';
import { createLimiters, type LimitOutcome, type LimitRule } from '$lib/server/rate-limit';

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
export function createDiscordLimits(rules: DiscordLimitRules, sqlite?: Database.Database) {
	const limiters = createLimiters(
		{ 'discord-create': rules.perUser, 'create-global': rules.global },
		sqlite
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

// Keyed by the open database (not its SQLite handle, which PostgreSQL has none of).
let current: { limits: DiscordLimits; database: OpenDb } | undefined;

/** The running app's Discord limits, built on first use from its config and database. */
export function discordLimits(): DiscordLimits {
	const { config, database } = app();
	if (current?.database !== database) {
		const global = {
			points: config.createLimits.global,
			durationSec: config.createLimits.windowSec
		};
		current = {
			limits: createDiscordLimits({ perUser: config.discord.createLimit, global }, database.sqlite),
			database
		};
	}
	return current.limits;
}
