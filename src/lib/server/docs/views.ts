// What the docs pages show, shared by the pages rendered on demand (routes/doc) and their
// prerendered copies per language (routes/doc-lang). The caller passes its language's words.
import { findDoc, listProjectKeys, loadProject, topics, type Doc } from './library';

/** The list page of a project's public docs; undefined when it has none. */
export function indexView(dir: string, key: string) {
	const project = loadProject(dir, key);
	if (!project?.docs.length) return undefined;
	return {
		project: { key: project.key, name: project.name, intro: project.intro },
		topics: topics(project).map((t) => ({
			name: t.name,
			docs: t.docs.map((d) => ({ slug: d.slug, title: d.title, summary: d.summary }))
		}))
	};
}

const ANCHOR = /(<a class="anchor" href="#)([^"]*)(" aria-label=")[^"]*(")/g;
const attr = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * One public doc with its neighbours in its topic; undefined when it is not a public doc.
 * `anchorLabel` names a heading's "#" link in the page's language (the rendered HTML is cached
 * once for every language).
 */
export function articleView(
	dir: string,
	key: string,
	slug: string,
	anchorLabel: (heading: string) => string
) {
	const found = findDoc(dir, key, slug);
	if (!found) return undefined;
	const { project, doc, rendered, prev, next } = found;
	const link = (d: Doc | undefined) => (d ? { slug: d.slug, title: d.title } : null);
	const texts = new Map(rendered.headings.map((h) => [h.id, h.text]));
	const html = rendered.html.replace(ANCHOR, (all, a, id: string, b, c) =>
		texts.has(id) ? `${a}${id}${b}${attr(anchorLabel(texts.get(id)!))}${c}` : all
	);
	return {
		project: { key: project.key, name: project.name },
		doc: {
			title: doc.title,
			summary: doc.summary,
			topic: doc.topic,
			html,
			headings: rendered.headings
		},
		prev: link(prev),
		next: link(next)
	};
}

/** Every project key with public docs, and every public doc's slug (what the build prerenders). */
export function publishedDocs(dir: string): { key: string; slugs: string[] }[] {
	return listProjectKeys(dir)
		.map((key) => ({ key, slugs: (loadProject(dir, key)?.docs ?? []).map((d) => d.slug) }))
		.filter((p) => p.slugs.length > 0);
}
