import type Database from 'better-sqlite3';
import { app } from '$lib/server/app';
import { createLimiters, type LimitOutcome, type LimitRule } from '$lib/server/rate-limit';

/**
 * Tickets per Discord user per window (DISCORD_CREATE_LIMIT_PER_USER / _WINDOW_SEC): the Discord
 * user stands in for the web's client address. SQLite-backed when given a handle.
 */
export function createDiscordLimits(rule: LimitRule, sqlite?: Database.Database) {
	const limiters = createLimiters({ 'discord-create': rule }, sqlite);
	return {
		create(userId: string): Promise<LimitOutcome> {
			return limiters.take('discord-create', userId);
		}
	};
}

export type DiscordLimits = ReturnType<typeof createDiscordLimits>;

let current: { limits: DiscordLimits; sqlite: Database.Database } | undefined;

/** The running app's Discord limits, built on first use from its config and database. */
export function discordLimits(): DiscordLimits {
	const { config, database } = app();
	if (current?.sqlite !== database.sqlite) {
		current = {
			limits: createDiscordLimits(config.discord.createLimit, database.sqlite),
			sqlite: database.sqlite
		};
	}
	return current.limits;
}
