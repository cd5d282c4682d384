import type { Conn } from '$lib/server/db';
import type { DiscordGuild, Project } from '$lib/server/db/schema';

const SNOWFLAKE = /^\d{5,25}$/;

/** Whether a string looks like a Discord id (a snowflake). */
export function isSnowflake(value: string): boolean {
	return SNOWFLAKE.test(value);
}

/**
 * Links a Discord server to a project: its /ticket command then opens tickets there. A guild
 * opens tickets in one project; linking it again moves it.
 */
export async function link(
	db: Conn,
	guildId: string,
	projectId: number,
	now = Date.now()
): Promise<DiscordGuild> {
	if (!isSnowflake(guildId))
		throw new Error(`"${guildId}" is not a Discord server id (a long number)`);
	return db
		.insertInto('discord_guilds')
		.values({
			guild_id: guildId,
			project_id: projectId,
			registered_at: null,
			created_at: now,
			updated_at: now
		})
		.onConflict((oc) =>
			oc.column('guild_id').doUpdateSet({ project_id: projectId, updated_at: now })
		)
		.returningAll()
		.executeTakeFirstOrThrow();
}

/** Removes a guild's link; its /ticket command then answers that the server is not linked. */
export async function unlink(db: Conn, guildId: string): Promise<boolean> {
	const r = await db
		.deleteFrom('discord_guilds')
		.where('guild_id', '=', guildId)
		.executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}

/** The project a guild opens tickets in, if it is linked. */
export async function projectFor(db: Conn, guildId: string): Promise<Project | undefined> {
	if (!isSnowflake(guildId)) return undefined;
	return db
		.selectFrom('discord_guilds')
		.innerJoin('projects', 'projects.id', 'discord_guilds.project_id')
		.selectAll('projects')
		.where('discord_guilds.guild_id', '=', guildId)
		.executeTakeFirst();
}

/** Every linked guild with its project key, for `discord register` and project settings. */
export function list(db: Conn, projectId?: number) {
	let q = db
		.selectFrom('discord_guilds')
		.innerJoin('projects', 'projects.id', 'discord_guilds.project_id')
		.select([
			'discord_guilds.guild_id',
			'discord_guilds.project_id',
			'discord_guilds.registered_at',
			'projects.key as project_key'
		])
		.orderBy('discord_guilds.created_at');
	if (projectId !== undefined) q = q.where('discord_guilds.project_id', '=', projectId);
	return q.execute();
}

/** Records that the /ticket command was sent for a guild. */
export async function markRegistered(db: Conn, guildId: string, now = Date.now()): Promise<void> {
	await db
		.updateTable('discord_guilds')
		.set({ registered_at: now })
		.where('guild_id', '=', guildId)
		.execute();
}
