import type { Db } from '$lib/server/db';
import * as projects from '$lib/server/projects';
import type { CommandDefinition, DiscordApi } from './api';
import * as guilds from './guilds';

/** Discord allows at most 25 choices per option. */
const MAX_CHOICES = 25;

/** The /ticket command for a project: its ticket types as the optional `type` choice. */
export async function ticketCommand(db: Db, projectId: number): Promise<CommandDefinition> {
	const types = await projects.listTypes(db, projectId);
	return {
		name: 'ticket',
		description: 'Open a support ticket',
		type: 1,
		options: [
			{
				type: 3,
				name: 'type',
				description: 'What kind of ticket',
				required: false,
				choices: types
					.slice(0, MAX_CHOICES)
					.map((t) => ({ name: t.name.slice(0, 100), value: t.key }))
			}
		]
	};
}

export interface RegisterResult {
	guildId: string;
	projectKey: string;
	ok: boolean;
	error?: string;
}

/**
 * Sends the /ticket command to every linked guild (creating or overwriting it by name), so its
 * type choices follow the project's current ticket types. One guild failing does not stop the rest.
 */
export async function registerCommands(
	db: Db,
	api: DiscordApi,
	applicationId: string
): Promise<RegisterResult[]> {
	const results: RegisterResult[] = [];
	for (const g of await guilds.list(db)) {
		try {
			await api.upsertGuildCommand(
				applicationId,
				g.guild_id,
				await ticketCommand(db, g.project_id)
			);
			await guilds.markRegistered(db, g.guild_id);
			results.push({ guildId: g.guild_id, projectKey: g.project_key, ok: true });
		} catch (err) {
			results.push({
				guildId: g.guild_id,
				projectKey: g.project_key,
				ok: false,
				error: err instanceof Error ? err.message : String(err)
			});
		}
	}
	return results;
}
