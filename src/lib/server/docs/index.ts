// Public docs: Markdown files under DOCS_DIR/{project}/ (see content/docs/), rendered and
// sanitized for /doc/…, indexed with SQLite FTS5 for the create page's suggestions.
export { parseFrontMatter, FrontMatterError } from './frontmatter';
export { renderMarkdown, sanitize, plainText, type Rendered } from './render';
export {
	loadProject,
	hasPublicDocs,
	hasDoc,
	listProjectKeys,
	topics,
	findDoc,
	readAsset,
	type Doc,
	type ProjectDocs,
	type Topic
} from './library';
export { indexView, articleView, publishedDocs } from './views';
export { reindex, search, matchQuery, toSegments } from './search';
export { recordDeflection, countDeflections, countDeflectionsByDoc } from './deflections';
