import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FrontMatterError, parseFrontMatter } from './frontmatter';
import { renderMarkdown, type Rendered } from './render';

/** Folder names under DOCS_DIR: the project keys of `/ticket/{key}` and `/doc/{key}`. */
export const PROJECT_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** File names (without `.md`) become slugs: `/doc/{key}/{slug}`. */
export const DOC_SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;

export interface Doc {
	project: string;
	slug: string;
	title: string;
	summary: string;
	topic: string;
	order: number;
	/** Markdown after the front matter. */
	body: string;
	file: string;
}

export interface ProjectDocs {
	key: string;
	/** From the optional `_project.yml` (`name:`, `intro:`), else the key. */
	name: string;
	intro: string;
	/** Public docs only, in reading order: topic by topic, then by `order` and title. */
	docs: Doc[];
	/** Files that were skipped, with the reason (shown by `docs reindex`). */
	problems: string[];
}

export interface Topic {
	name: string;
	docs: Doc[];
}

interface Cached {
	signature: string;
	/** When the folder was last compared with `signature` (Date.now()). */
	checkedAt: number;
	/** Undefined while the folder is missing or empty. */
	value: ProjectDocs | undefined;
	rendered: Map<string, Rendered>;
}

type Loaded = Cached & { value: ProjectDocs };
const loaded = (c: Cached): Loaded | undefined => (c.value ? (c as Loaded) : undefined);

// Parsed folders, reused until a file in the folder is added, removed or changed. The folder is
// looked at (one readdir, one stat per file) at most once a second: every create page and every
// suggestion asks, and a stat per doc per request was 5 % of the create page's time.
const cache = new Map<string, Cached>();
const RECHECK_MS = 1000;

function signature(folder: string, files: string[]): string {
	return files
		.map((f) => {
			const s = statSync(join(folder, f));
			return `${f}:${s.mtimeMs}:${s.size}`;
		})
		.join('|');
}

function entries(folder: string): string[] {
	try {
		return readdirSync(folder)
			.filter((f) => f.endsWith('.md') || f === '_project.yml')
			.sort();
	} catch {
		return [];
	}
}

function loadFolder(folder: string, key: string, files: string[]): ProjectDocs {
	const docs: Doc[] = [];
	const problems: string[] = [];
	let name = key;
	let intro = '';
	for (const f of files) {
		const file = join(folder, f);
		if (f === '_project.yml') {
			try {
				const meta = parseYaml(readFileSync(file, 'utf8')) as {
					name?: unknown;
					intro?: unknown;
				} | null;
				if (typeof meta?.name === 'string' && meta.name.trim()) name = meta.name.trim();
				if (typeof meta?.intro === 'string') intro = meta.intro.trim();
			} catch (err) {
				problems.push(`${key}/${f}: ${(err as Error).message.split('\n')[0]}`);
			}
			continue;
		}
		const slug = f.slice(0, -3);
		if (!DOC_SLUG.test(slug)) {
			problems.push(`${key}/${f}: file names must be lowercase letters, digits and dashes`);
			continue;
		}
		try {
			const { data, body } = parseFrontMatter(readFileSync(file, 'utf8'));
			if (!data.public) continue;
			const { title, summary, topic, order } = data;
			docs.push({ project: key, slug, title, summary, topic, order, body, file });
		} catch (err) {
			if (!(err instanceof FrontMatterError)) throw err;
			problems.push(`${key}/${f}: ${err.message}`);
		}
	}
	return { key, name, intro, docs: inReadingOrder(docs), problems };
}

function inReadingOrder(docs: Doc[]): Doc[] {
	const topicRank = new Map<string, number>();
	for (const d of docs)
		topicRank.set(d.topic, Math.min(topicRank.get(d.topic) ?? Infinity, d.order));
	return [...docs].sort(
		(a, b) =>
			topicRank.get(a.topic)! - topicRank.get(b.topic)! ||
			a.topic.localeCompare(b.topic) ||
			a.order - b.order ||
			a.title.localeCompare(b.title)
	);
}

function cached(dir: string, key: string, fresh = false): Loaded | undefined {
	if (!PROJECT_KEY.test(key)) return undefined;
	const id = `${dir}\0${key}`;
	const hit = cache.get(id);
	const now = Date.now();
	if (hit && !fresh && now - hit.checkedAt < RECHECK_MS && now >= hit.checkedAt) return loaded(hit);
	const folder = join(dir, key);
	const files = entries(folder);
	const sig = files.length ? signature(folder, files) : '';
	if (hit && hit.signature === sig) {
		hit.checkedAt = now;
		return loaded(hit);
	}
	const read: Cached = {
		signature: sig,
		checkedAt: now,
		value: files.length ? loadFolder(folder, key, files) : undefined,
		rendered: new Map()
	};
	cache.set(id, read);
	return loaded(read);
}

/**
 * A project's public docs from `DOCS_DIR/{key}/*.md`, or undefined when the folder is missing.
 * Re-read only when a file changed, so a doc added after the build shows up without a restart
 * (within a second: the folder is looked at once a second at most; `fresh` looks now, for
 * `docs reindex`).
 */
export function loadProject(dir: string, key: string, fresh = false): ProjectDocs | undefined {
	return cached(dir, key, fresh)?.value;
}

/** Whether `/doc/{key}` has anything to show (a project's create page links to it then). */
export function hasPublicDocs(dir: string, key: string): boolean {
	return (loadProject(dir, key)?.docs.length ?? 0) > 0;
}

/** Whether `slug` is a public doc of the project (e.g. before recording a deflection). */
export function hasDoc(dir: string, key: string, slug: string): boolean {
	return loadProject(dir, key)?.docs.some((d) => d.slug === slug) ?? false;
}

/** Every folder under `dir` that looks like a project key (with or without public docs). */
export function listProjectKeys(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true })
		.filter((e) => e.isDirectory() && PROJECT_KEY.test(e.name))
		.map((e) => e.name)
		.sort();
}

/** The docs grouped by topic, topics in reading order. */
export function topics(project: ProjectDocs): Topic[] {
	const out: Topic[] = [];
	for (const doc of project.docs) {
		const last = out.at(-1);
		if (last?.name === doc.topic) last.docs.push(doc);
		else out.push({ name: doc.topic, docs: [doc] });
	}
	return out;
}

/**
 * One public doc, rendered, with its neighbours in the same topic; undefined when the project,
 * the doc or its `public: true` is missing.
 */
export function findDoc(dir: string, key: string, slug: string) {
	const c = cached(dir, key);
	const docs = c?.value.docs ?? [];
	const i = docs.findIndex((d) => d.slug === slug);
	if (!c || i < 0) return undefined;
	const doc = docs[i];
	let rendered = c.rendered.get(slug);
	if (!rendered) {
		rendered = renderMarkdown(doc.body, { assetBase: `/doc/${key}/assets` });
		c.rendered.set(slug, rendered);
	}
	const prev = docs[i - 1]?.topic === doc.topic ? docs[i - 1] : undefined;
	const next = docs[i + 1]?.topic === doc.topic ? docs[i + 1] : undefined;
	return { project: c.value, doc, rendered, prev, next };
}

const ASSET = /^[a-z0-9][a-z0-9._-]{0,120}\.(png|jpe?g|gif|webp|avif|svg)$/i;
const ASSET_TYPES: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	avif: 'image/avif',
	svg: 'image/svg+xml'
};

/** An image from `DOCS_DIR/{key}/assets/`, or undefined for anything else (no paths, no dot-files). */
export function readAsset(
	dir: string,
	key: string,
	file: string
): { body: Buffer; type: string } | undefined {
	if (!PROJECT_KEY.test(key) || !ASSET.test(file) || file.includes('..')) return undefined;
	if (!hasPublicDocs(dir, key)) return undefined;
	try {
		const body = readFileSync(join(dir, key, 'assets', file));
		return { body, type: ASSET_TYPES[file.split('.').pop()!.toLowerCase()] };
	} catch {
		return undefined;
	}
}
