import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import { refused } from '$lib/server/http/refused';
import * as projects from '$lib/server/projects';
import * as projectAdmin from '$lib/server/projects/admin';
import * as templateAdmin from '$lib/server/templates/admin';
import {
	bindingSchema,
	idSchema,
	projectSettingsSchema,
	templateSchema,
	ticketTypeSchema
} from '$lib/schemas/staff';
import { error, redirect } from '@sveltejs/kit';
import { fail, message, setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';
import { discordActions, discordSettings } from './discord.server';
import { autoCloseActions, autoCloseSettings } from './auto-close.server';
import { languageActions, languageSettings } from './languages.server';
import { roundRobinActions, roundRobinSettings } from './round-robin.server';

async function projectOr404(key: string) {
	const p = await projects.findByKey(app().db, key);
	if (!p) error(404, 'Page not found');
	return p;
}

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const { db } = app();
	const p = await projectOr404(event.params.key);
	const types = await projects.listTypes(db, p.id);
	const settings = {
		name: p.name,
		description: p.description,
		defaultType: types.find((t) => t.id === p.default_ticket_type_id)?.key ?? '',
		enforcedTemplate: p.enforced_template_id ?? 0,
		anonymous: p.anonymous_creation === 1,
		mailAlias: p.mail_alias ?? '',
		portal: p.portal_enabled === 1,
		csat: p.csat_enabled === 1,
		powMode: p.pow_mode
	};
	return {
		project: { key: p.key, name: p.name },
		// Reply by email: the project's mail addresses, when INBOUND_DOMAIN is set.
		inboundDomain: app().config.inbound.domain,
		types: types.map((t) => ({
			id: t.id,
			key: t.key,
			name: t.name,
			builtIn: t.project_id === null
		})),
		templates: (await templateAdmin.list(db, p.id)).map((t) => ({
			id: t.id,
			name: t.name,
			selectable: t.selectable === 1
		})),
		bindings: await templateAdmin.listBindings(db, p.id),
		settingsForm: await superValidate(settings, zod4(projectSettingsSchema), { errors: false }),
		typeForm: await superValidate(zod4(ticketTypeSchema), { errors: false }),
		templateForm: await superValidate(zod4(templateSchema), { errors: false }),
		bindingForm: await superValidate(zod4(bindingSchema), { errors: false }),
		discord: await discordSettings(p.id),
		autoCloseForm: await autoCloseSettings(p.auto_close_days),
		languages: languageSettings(p),
		roundRobin: await roundRobinSettings(p.id)
	};
};

export const actions: Actions = {
	...discordActions,
	...autoCloseActions,
	...languageActions,
	...roundRobinActions,
	settings: async (event) => {
		requireAdmin(event);
		const p = await projectOr404(event.params.key);
		const form = await superValidate(event.request, zod4(projectSettingsSchema));
		const types = await projects.listTypes(app().db, p.id);
		const type = types.find((t) => t.key === form.data.defaultType);
		if (form.data.defaultType && !type)
			setError(form, 'defaultType', 'Choose one of the listed types.');
		if (!form.valid) return fail(400, { form });
		try {
			await projectAdmin.update(app().db, p.id, {
				...form.data,
				defaultTypeId: type?.id ?? null,
				enforcedTemplateId: form.data.enforcedTemplate || null
			});
		} catch (err) {
			return refused(form, err);
		}
		return message(form, 'Project settings saved.');
	},
	addType: async (event) => {
		requireAdmin(event);
		const p = await projectOr404(event.params.key);
		const form = await superValidate(event.request, zod4(ticketTypeSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await projectAdmin.addType(app().db, p.id, form.data);
		} catch (err) {
			return refused(form, err, 'key');
		}
		const name = form.data.name;
		form.data = { key: '', name: '', description: '' };
		return message(form, `Type ${name} added.`);
	},
	archiveType: async (event) => {
		requireAdmin(event);
		const p = await projectOr404(event.params.key);
		const form = await superValidate(event.request, zod4(idSchema));
		if (!form.valid) return fail(400, { form });
		const done = await projectAdmin.archiveType(app().db, p.id, form.data.id);
		return done
			? message(form, 'Type archived.')
			: message(form, 'Built-in types cannot be archived.', { status: 400 });
	},
	createTemplate: async (event) => {
		requireAdmin(event);
		const p = await projectOr404(event.params.key);
		const form = await superValidate(event.request, zod4(templateSchema));
		if (!form.valid) return fail(400, { form });
		const t = await templateAdmin.create(app().db, p.id, form.data);
		redirect(303, `/app/templates/${t.id}`);
	},
	bind: async (event) => {
		requireAdmin(event);
		const p = await projectOr404(event.params.key);
		const form = await superValidate(event.request, zod4(bindingSchema));
		const type = (await projects.listTypes(app().db, p.id)).find((t) => t.key === form.data.type);
		if (form.data.type && !type) setError(form, 'type', 'Choose one of the listed types.');
		if (!form.valid) return fail(400, { form });
		try {
			await templateAdmin.bind(app().db, p.id, type?.id ?? null, form.data.template);
		} catch (err) {
			return refused(form, err, 'template');
		}
		return message(form, 'Template bound.');
	},
	unbind: async (event) => {
		requireAdmin(event);
		const p = await projectOr404(event.params.key);
		const form = await superValidate(event.request, zod4(idSchema));
		if (!form.valid) return fail(400, { form });
		await templateAdmin.unbind(app().db, p.id, form.data.id);
		return message(form, 'Binding removed.');
	}
};
