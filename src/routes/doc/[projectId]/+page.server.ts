import { app } from '$lib/server/app';
import * as docs from '$lib/server/docs';
import { docsDir } from '$lib/server/docs/runtime';
import { docsLanguage } from '$lib/server/i18n/docs-page';
import * as projects from '$lib/server/projects';
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// Rendered on demand in the reader's language. `npm start` serves the prerendered copy of that
// language at this URL instead (routes/doc-lang, $lib/server/i18n/docs-front.js) whenever it has
// one: this runs for docs added after the build, for projects that offer only some languages,
// and under `vite dev`. No JavaScript needed to read.
export const prerender = false;
export const csr = false;

export const load: PageServerLoad = async (event) => {
	const key = event.params.projectId;
	const lang = docsLanguage(event, await projects.findByKey(app().db, key));
	const view = docs.indexView(docsDir(), key);
	if (!view) error(404, 'This project has no public help articles.');
	return { ...view, lang };
};
