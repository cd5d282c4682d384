import * as docs from '$lib/server/docs';
import { docsDir } from '$lib/server/docs/runtime';
import { error } from '@sveltejs/kit';
import type { EntryGenerator, PageServerLoad } from './$types';

// Prerendered at build for every project folder with public docs; a project whose docs were
// added after the build is rendered on demand. No JavaScript needed to read.
export const prerender = 'auto';
export const csr = false;

export const entries: EntryGenerator = () => {
	const dir = docsDir();
	return docs
		.listProjectKeys(dir)
		.filter((key) => docs.hasPublicDocs(dir, key))
		.map((projectId) => ({ projectId }));
};

export const load: PageServerLoad = ({ params }) => {
	const project = docs.loadProject(docsDir(), params.projectId);
	if (!project?.docs.length) error(404, 'This project has no public help articles.');
	return {
		project: { key: project.key, name: project.name, intro: project.intro },
		topics: docs.topics(project).map((t) => ({
			name: t.name,
			docs: t.docs.map((d) => ({ slug: d.slug, title: d.title, summary: d.summary }))
		}))
	};
};
