import * as docs from '$lib/server/docs';
import { docsDir } from '$lib/server/docs/runtime';
import { prerenderedLanguage } from '$lib/server/i18n/docs-page';
import { shipped, type Locale } from '$lib/server/i18n/resolve';
import { error } from '@sveltejs/kit';
import type { EntryGenerator, PageServerLoad } from './$types';

// The docs list prerendered once per shipped language. Never linked: the custom server
// (scripts/start.js) serves these files at the public URL /doc/{key} to readers of that language
// and answers 404 here. A project whose docs were added after the build has no copy; its page
// is rendered on demand (routes/doc).
export const prerender = true;
export const csr = false;

export const entries: EntryGenerator = () =>
	docs
		.publishedDocs(docsDir())
		.flatMap(({ key }) => shipped.map((lang) => ({ lang, projectId: key })));

export const load: PageServerLoad = ({ params, locals }) => {
	const lang = prerenderedLanguage(locals, params.lang as Locale, `/doc/${params.projectId}`);
	const view = docs.indexView(docsDir(), params.projectId);
	if (!view) error(404, 'This project has no public help articles.');
	return { ...view, lang };
};
