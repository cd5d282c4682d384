import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import { offered, shipped } from '$lib/server/i18n/resolve';
import type { Project } from '$lib/server/db/schema';
import * as projects from '$lib/server/projects';
import * as projectAdmin from '$lib/server/projects/admin';
import { m } from '$lib/paraglide/messages.js';
import { isLocale } from '$lib/paraglide/runtime.js';
import { error, fail } from '@sveltejs/kit';
import type { RequestEvent } from './$types';

/** The Languages card: every shipped language (named in itself), the default and the offered. */
export function languageSettings(p: Project) {
	const { fallback, allowed } = offered(p);
	return {
		all: shipped.map((code) => ({ code, name: m.language_name({}, { locale: code }) })),
		defaultLocale: fallback,
		locales: allowed as string[]
	};
}

export const languageActions = {
	languages: async (event: RequestEvent) => {
		requireAdmin(event);
		const p = await projects.findByKey(app().db, event.params.key);
		if (!p) error(404, 'Page not found');
		const data = await event.request.formData();
		const defaultLocale = data.get('defaultLocale');
		if (typeof defaultLocale !== 'string' || !isLocale(defaultLocale))
			return fail(400, { languages: 'Choose one of the listed languages as the default.' });
		const locales = data.getAll('locales').filter((v): v is string => typeof v === 'string');
		await projectAdmin.setLanguages(app().db, p.id, { defaultLocale, locales });
		return { languages: 'Languages saved.' };
	}
};
