import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import * as guilds from '$lib/server/discord/guilds';
import * as projects from '$lib/server/projects';
import { error } from '@sveltejs/kit';
import { fail, message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { z } from 'zod';
import type { RequestEvent } from './$types';

/** The Discord part of a project's settings: which servers open tickets here. */
export const discordGuildSchema = z.object({
	guild: z
		.string()
		.trim()
		.regex(
			/^\d{5,25}$/,
			'Enter the server ID: a long number (Discord Developer Mode → right-click the server → Copy Server ID).'
		)
});

export async function discordSettings(projectId: number) {
	const { db, config } = app();
	return {
		enabled: config.discord.enabled,
		guilds: (await guilds.list(db, projectId)).map((g) => ({
			guildId: g.guild_id,
			registered: g.registered_at !== null
		})),
		form: await superValidate(zod4(discordGuildSchema), { errors: false, id: 'discord-link' })
	};
}

async function projectOf(event: RequestEvent) {
	requireAdmin(event);
	const p = await projects.findByKey(app().db, event.params.key);
	if (!p) error(404, 'Page not found');
	return p;
}

export const discordActions = {
	linkDiscord: async (event: RequestEvent) => {
		const p = await projectOf(event);
		const form = await superValidate(event.request, zod4(discordGuildSchema), {
			id: 'discord-link'
		});
		if (!form.valid) return fail(400, { form });
		const before = await guilds.projectFor(app().db, form.data.guild);
		await guilds.link(app().db, form.data.guild, p.id);
		const moved = before && before.id !== p.id ? ` (moved from ${before.name})` : '';
		const guild = form.data.guild;
		form.data.guild = '';
		return message(
			form,
			`Discord server ${guild} linked${moved}. Run "npm run portal -- discord register" to add /ticket there.`
		);
	},
	unlinkDiscord: async (event: RequestEvent) => {
		const p = await projectOf(event);
		const form = await superValidate(event.request, zod4(discordGuildSchema));
		if (!form.valid) return fail(400, { form });
		const linked = await guilds.list(app().db, p.id);
		if (linked.some((g) => g.guild_id === form.data.guild))
			await guilds.unlink(app().db, form.data.guild);
		return message(form, 'Unlinked.');
	}
};
