import { testDb } from '$lib/server/test/test-db';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	countDeflections,
	countDeflectionsByDoc,
	matchQuery,
	recordDeflection,
	reindex,
	search,
	toSegments
} from '.';

const { db } = testDb();
const DEMO = join(process.cwd(), 'content/docs');

beforeAll(async () => {
	const result = await reindex(db, DEMO);
	expect(result.problems).toEqual([]);
});

describe('ranking on the demo docs', () => {
	it.each([
		['attach', 'attaching-files'],
		['screenshot too large', 'attaching-files'],
		['unsubscribe', 'unsubscribing'],
		['stop the emails', 'unsubscribing'],
		['link lost', 'following-your-ticket'],
		['I lost my ticket link', 'following-your-ticket'],
		['what does resolved mean', 'ticket-statuses'],
		['reopen', 'ticket-statuses'],
		['forward link to colleague', 'keeping-your-link-private'],
		['steps to reproduce', 'writing-a-good-ticket'],
		['how do I open a ticket', 'opening-a-ticket']
	])('"%s" → %s first', async (q, slug) => {
		const results = await search(db, 'demo', q);
		expect(results[0]?.slug, JSON.stringify(results.map((r) => r.slug))).toBe(slug);
	});

	it('returns at most 5 results with a link and a snippet that highlights the matched words', async () => {
		const results = await search(db, 'demo', 'ticket link email reply');
		expect(results.length).toBeGreaterThan(0);
		expect(results.length).toBeLessThanOrEqual(5);
		const r = (await search(db, 'demo', 'attach'))[0];
		expect(r.url).toBe('/doc/demo/attaching-files');
		expect(r.title).toBe('Attaching files and screenshots');
		const hits = r.snippet.filter((s) => s.hit).map((s) => s.text.toLowerCase());
		expect(hits.length).toBeGreaterThan(0);
		for (const h of hits) expect(h.startsWith('attach')).toBe(true);
		expect(r.snippet.map((s) => s.text).join('')).not.toMatch(/[\uE000\uE001]/);
	});

	it('stems words ("attaching" finds attach) and matches prefixes ("unsubscr")', async () => {
		expect((await search(db, 'demo', 'attaching'))[0]?.slug).toBe('attaching-files');
		expect((await search(db, 'demo', 'unsubscr'))[0]?.slug).toBe('unsubscribing');
	});

	it('never shows non-public docs or other projects’ docs', async () => {
		expect(await search(db, 'demo', 'triage notes draft')).toEqual([]);
		expect(await search(db, 'other', 'attach')).toEqual([]);
	});

	it('returns nothing for input without searchable words', async () => {
		expect(await search(db, 'demo', '')).toEqual([]);
		expect(await search(db, 'demo', 'a the of')).toEqual([]);
		expect(await search(db, 'demo', 'zzqxv')).toEqual([]);
	});
});

describe('user input is only ever text to FTS5', () => {
	const nasty = [
		'"',
		'""',
		'"unterminated',
		'*',
		'attach*',
		'(',
		')',
		'(attach',
		'-',
		'-attach',
		':',
		'title:attach',
		'body: "x',
		'NEAR(a b)',
		'attach AND',
		'OR',
		'NOT unsubscribe',
		'^attach',
		'{title}: x',
		"it's",
		'a"b*c(d-e:f',
		'\u0000',
		'\uE000attach\uE001',
		'ü"ber',
		'💥',
		'x'.repeat(5000)
	];
	it('punctuation, FTS syntax and odd input never throw', async () => {
		for (const q of nasty) {
			await expect(search(db, 'demo', q), JSON.stringify(q.slice(0, 40))).resolves.toBeInstanceOf(
				Array
			);
		}
	});

	it('quotes every term and keeps prefix matching', () => {
		expect(matchQuery('Attach "files" (now)')).toBe('"attach"* AND "files"* AND "now"*');
		expect(matchQuery('title:foo -bar', 'or')).toBe('"title"* OR "foo"* OR "bar"*');
		expect(matchQuery('a ! ?')).toBeNull();
	});

	it('turns SQLite markers into segments', () => {
		expect(toSegments('see \uE000attach\uE001 files')).toEqual([
			{ text: 'see ', hit: false },
			{ text: 'attach', hit: true },
			{ text: ' files', hit: false }
		]);
	});
});

describe('reindex', () => {
	it('picks up docs added later and drops removed ones; markup in a doc cannot fake highlights', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'docs-reindex-'));
		mkdirSync(join(dir, 'acme'));
		const doc = (title: string, body: string) =>
			`---\ntitle: ${title}\npublic: true\n---\n${body}\n`;
		writeFileSync(
			join(dir, 'acme', 'printers.md'),
			doc('Printer setup', 'Install the \uE000printer\uE001 driver <b>now</b>.')
		);
		expect(await reindex(db, dir)).toMatchObject({ projects: 1, docs: 1 });
		const [r] = await search(db, 'acme', 'driver');
		expect(r.snippet.filter((s) => s.hit).map((s) => s.text)).toEqual(['driver']);
		expect(r.snippet.map((s) => s.text).join('')).toContain('Install the printer driver now');
		writeFileSync(
			join(dir, 'acme', 'scanners.md'),
			doc('Scanner setup', 'Scanners need a driver too.')
		);
		await reindex(db, dir);
		expect((await search(db, 'acme', 'driver')).map((x) => x.slug).sort()).toEqual([
			'printers',
			'scanners'
		]);
		expect(await search(db, 'demo', 'attach')).toEqual([]); // demo folder not in this dir
		await reindex(db, DEMO);
	});
});

describe('remembered results', () => {
	it('answers a repeated query from memory until the index is rebuilt, here or by another process', async () => {
		const slugs = async () => (await search(db, 'demo', 'Attach!')).map((r) => r.slug);
		const first = await slugs();
		expect(first).toContain('attaching-files');
		// Another process (the CLI, another instance) is rebuilding the index without that doc.
		await sql`DELETE FROM doc_search WHERE slug = 'attaching-files'`.execute(db);
		expect(await slugs()).toEqual(first); // same words: remembered
		const copy = await search(db, 'demo', 'attach');
		copy[0].title = 'changed by a caller';
		expect((await search(db, 'demo', 'attach'))[0].title).not.toBe('changed by a caller');
		// Its commit raised the generation: every process answers from the new index.
		await sql`UPDATE doc_search_state SET generation = generation + 1`.execute(db);
		expect(await slugs()).not.toContain('attaching-files');
		// A reindex in this process shows at once.
		await reindex(db, DEMO);
		expect(await slugs()).toContain('attaching-files');
		await reindex(db, mkdtempSync(join(tmpdir(), 'docs-none-')));
		expect(await slugs()).toEqual([]);
		await reindex(db, DEMO);
		expect(await slugs()).toEqual(first);
	});
});

describe('deflections', () => {
	it('counts "This answered my question" per project and per doc', async () => {
		await recordDeflection(db, { projectKey: 'demo', slug: 'attaching-files', now: 1000 });
		await recordDeflection(db, { projectKey: 'demo', slug: 'attaching-files', now: 2000 });
		await recordDeflection(db, { projectKey: 'demo', slug: 'unsubscribing', now: 3000 });
		await recordDeflection(db, { projectKey: 'acme', slug: 'printers', now: 3000 });
		expect(await countDeflections(db, 'demo')).toBe(3);
		expect(await countDeflections(db, 'demo', { since: 2000 })).toBe(2);
		expect(await countDeflections(db, 'nobody')).toBe(0);
		expect(await countDeflectionsByDoc(db, 'demo')).toEqual([
			{ slug: 'attaching-files', count: 2 },
			{ slug: 'unsubscribing', count: 1 }
		]);
	});
});
