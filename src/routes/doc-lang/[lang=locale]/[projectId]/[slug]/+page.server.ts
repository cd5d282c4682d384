import { m } from '$lib/paraglide/messages.js';
import * as docs from '$lib/server/docs';
import { docsDir } from '$lib/server/docs/runtime';
import { prerenderedLanguage } from '$lib/server/i18n/docs-page';
import { shipped, type Locale } from '$lib/server/i18n/resolve';
import { error } from '@sveltejs/kit';
import type { EntryGenerator, PageServerLoad } from './$types';

// A doc prerendered once per shipped language, served at /doc/{key}/{slug} (see ../+page.server.ts).
export const prerender = true;
export const csr = false;

export const entries: EntryGenerator = () =>
	docs
		.publishedDocs(docsDir())
		.flatMap(({ key, slugs }) =>
			shipped.flatMap((lang) => slugs.map((slug) => ({ lang, projectId: key, slug })))
		);

export const load: PageServerLoad = ({ params, locals }) => {
	const { projectId, slug } = params;
	const lang = prerenderedLanguage(locals, params.lang as Locale, `/doc/${projectId}/${slug}`);
	const view = docs.articleView(docsDir(), projectId, slug, (heading) =>
		m.docs_anchor_label({ heading })
	);
	if (!view) error(404, 'This help article doesn’t exist.');
	return { ...view, lang };
};
