import type { Command } from '$lib/server/cli/command';
import type { Config } from '$lib/server/config';
import { connectDatabase } from '$lib/server/db';
import * as projects from '$lib/server/projects';
import { createDiscordApi } from './api';
import * as guilds from './guilds';
import { registerCommands } from './register';

const USAGE = [
	'Usage:',
	'  npm run portal -- discord link --guild <server id> --project <key>',
	'  npm run portal -- discord unlink --guild <server id>',
	'  npm run portal -- discord list',
	'  npm run portal -- discord register'
].join('\n');

function flag(args: string[], name: string): string | undefined {
	const i = args.indexOf(`--${name}`);
	return i >= 0
		? args[i + 1]
		: args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function run(args: string[], config: Config): Promise<number> {
	const [sub, ...rest] = args;
	if (!['link', 'unlink', 'list', 'register'].includes(sub ?? '')) {
		console.error(USAGE);
		return 2;
	}
	const { db, close } = await connectDatabase(config);
	try {
		if (sub === 'link') {
			const guild = flag(rest, 'guild');
			const key = flag(rest, 'project');
			if (!guild || !key) {
				console.error(USAGE);
				return 2;
			}
			if (!guilds.isSnowflake(guild)) {
				console.error(
					`"${guild}" is not a Discord server id. In Discord, enable Developer Mode, right-click the server and "Copy Server ID".`
				);
				return 2;
			}
			const project = await projects.findByKey(db, key);
			if (!project) {
				console.error(`No project with the key "${key}".`);
				return 1;
			}
			await guilds.link(db, guild, project.id);
			console.log(
				`Discord server ${guild} now opens tickets in "${project.name}" (${project.key}). Run "npm run portal -- discord register" to add /ticket there.`
			);
			return 0;
		}
		if (sub === 'unlink') {
			const guild = flag(rest, 'guild') ?? '';
			const removed = await guilds.unlink(db, guild);
			console.log(
				removed
					? `Discord server ${guild} is no longer linked.`
					: `Discord server ${guild} was not linked.`
			);
			return removed ? 0 : 1;
		}
		if (sub === 'list') {
			const rows = await guilds.list(db);
			if (!rows.length) console.log('No Discord servers are linked.');
			for (const r of rows)
				console.log(
					`${r.guild_id}  ${r.project_key}  ${r.registered_at ? 'registered ' + new Date(r.registered_at).toISOString() : 'not registered'}`
				);
			return 0;
		}
		const { applicationId, botToken, apiBase } = config.discord;
		if (!applicationId || !botToken) {
			console.error(
				'Set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN to register the /ticket command.'
			);
			return 1;
		}
		const results = await registerCommands(
			db,
			createDiscordApi({ base: apiBase, botToken }),
			applicationId
		);
		if (!results.length)
			console.log('No Discord servers are linked; link one with "discord link" first.');
		for (const r of results) {
			if (r.ok)
				console.log(`Registered /ticket in Discord server ${r.guildId} (project ${r.projectKey}).`);
			else console.error(`Could not register /ticket in Discord server ${r.guildId}: ${r.error}`);
		}
		return results.every((r) => r.ok) ? 0 : 1;
	} finally {
		await close();
	}
}

/** `npm run portal -- discord …`: link servers to projects and register the /ticket command. */
export const discordCommand: Command = {
	usage: 'discord link|unlink|list|register',
	summary: 'link a Discord server to a project (--guild ID --project KEY), register /ticket',
	run
};
