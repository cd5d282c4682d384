import * as docs from '$lib/server/docs';
import { docsDir } from '$lib/server/docs/runtime';
import { error } from '@sveltejs/kit';
import type { EntryGenerator, PageServerLoad } from './$types';

// Every public doc found at build time is prerendered; one added later is rendered on demand.
export const prerender = 'auto';
export const csr = false;

export const entries: EntryGenerator = () => {
	const dir = docsDir();
	return docs
		.listProjectKeys(dir)
		.flatMap((projectId) =>
			(docs.loadProject(dir, projectId)?.docs ?? []).map((d) => ({ projectId, slug: d.slug }))
		);
};

export const load: PageServerLoad = ({ params }) => {
	const found = docs.findDoc(docsDir(), params.projectId, params.slug);
	if (!found) error(404, 'This help article doesn’t exist.');
	const { project, doc, rendered, prev, next } = found;
	const link = (d: docs.Doc | undefined) => (d ? { slug: d.slug, title: d.title } : null);
	return {
		project: { key: project.key, name: project.name },
		doc: {
			title: doc.title,
			summary: doc.summary,
			topic: doc.topic,
			html: rendered.html,
			headings: rendered.headings
		},
		prev: link(prev),
		next: link(next)
	};
};
