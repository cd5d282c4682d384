import { app } from '$lib/server/app';
import { m } from '$lib/paraglide/messages.js';
import * as docs from '$lib/server/docs';
import { docsDir } from '$lib/server/docs/runtime';
import { docsLanguage } from '$lib/server/i18n/docs-page';
import * as projects from '$lib/server/projects';
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// Rendered on demand in the reader's language; `npm start` serves the prerendered copy of that
// language instead whenever it has one (see ../+page.server.ts).
export const prerender = false;
export const csr = false;

export const load: PageServerLoad = async (event) => {
	const { projectId, slug } = event.params;
	const lang = docsLanguage(event, await projects.findByKey(app().db, projectId));
	const view = docs.articleView(docsDir(), projectId, slug, (heading) =>
		m.docs_anchor_label({ heading })
	);
	if (!view) error(404, 'This help article doesn’t exist.');
	return { ...view, lang };
};
