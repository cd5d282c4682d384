import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findDoc, hasPublicDocs, listProjectKeys, loadProject, readAsset, topics } from './library';

const DEMO = join(process.cwd(), 'content/docs');

function tempDocs(files: Record<string, string>): string {
	const dir = mkdtempSync(join(tmpdir(), 'docs-lib-'));
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(join(dir, path, '..'), { recursive: true });
		writeFileSync(join(dir, path), text);
	}
	return dir;
}
const doc = (title: string, topic: string, order: number, pub = true) =>
	`---\ntitle: ${title}\ntopic: ${topic}\norder: ${order}\npublic: ${pub}\n---\nAbout ${title}.\n`;

describe('the demo docs', () => {
	it('are public, grouped in topics, with a name from _project.yml and no problems', () => {
		const project = loadProject(DEMO, 'demo')!;
		expect(project.name).toBe('Demo Project');
		expect(project.problems).toEqual([]);
		expect(project.docs.length).toBeGreaterThanOrEqual(6);
		expect(topics(project).map((t) => t.name)).toEqual([
			'Getting started',
			'Your ticket',
			'Email notifications'
		]);
		expect(project.docs.map((d) => d.slug)).not.toContain('internal-triage-notes');
		expect(hasPublicDocs(DEMO, 'demo')).toBe(true);
	});

	it('include one doc with a table, a code block and an image that exists', () => {
		const found = findDoc(DEMO, 'demo', 'writing-a-good-ticket')!;
		expect(found.rendered.html).toContain('<table>');
		expect(found.rendered.html).toContain('<pre><code');
		const img = /<img src="\/doc\/demo\/assets\/([^"]+)"/.exec(found.rendered.html)!;
		expect(readAsset(DEMO, 'demo', img[1])?.type).toBe('image/svg+xml');
	});
});

describe('loading a docs folder', () => {
	const dir = tempDocs({
		'acme/_project.yml': 'name: ACME Corp\nintro: Help for ACME.\n',
		'acme/b-second.md': doc('Second', 'Basics', 2),
		'acme/a-first.md': doc('First', 'Basics', 1),
		'acme/c-advanced.md': doc('Advanced', 'Advanced', 5),
		'acme/hidden.md': doc('Hidden', 'Basics', 0, false),
		'acme/broken.md': '# no front matter',
		'acme/Bad Name.md': doc('Bad', 'Basics', 9),
		'acme/assets/pic.png': 'PNG',
		'drafts/only.md': doc('Only draft', 'X', 1, false),
		'Not-A-Key/x.md': doc('X', 'X', 1)
	});

	it('orders topics by their first doc, docs by order, and reports skipped files', () => {
		const project = loadProject(dir, 'acme')!;
		expect(project.name).toBe('ACME Corp');
		expect(project.intro).toBe('Help for ACME.');
		expect(topics(project).map((t) => [t.name, t.docs.map((d) => d.slug)])).toEqual([
			['Basics', ['a-first', 'b-second']],
			['Advanced', ['c-advanced']]
		]);
		expect(project.problems.join('\n')).toMatch(/broken\.md: missing front matter/);
		expect(project.problems.join('\n')).toMatch(/Bad Name\.md: file names/);
	});

	it('links previous/next within a topic only', () => {
		expect(findDoc(dir, 'acme', 'a-first')).toMatchObject({
			prev: undefined,
			next: { slug: 'b-second' }
		});
		expect(findDoc(dir, 'acme', 'b-second')).toMatchObject({
			prev: { slug: 'a-first' },
			next: undefined
		});
		expect(findDoc(dir, 'acme', 'c-advanced')).toMatchObject({ prev: undefined, next: undefined });
	});

	it('never finds non-public docs, unknown projects or path tricks', () => {
		expect(findDoc(dir, 'acme', 'hidden')).toBeUndefined();
		expect(findDoc(dir, 'acme', 'nope')).toBeUndefined();
		expect(findDoc(dir, '..', 'acme')).toBeUndefined();
		expect(loadProject(dir, 'Not-A-Key')).toBeUndefined();
		expect(hasPublicDocs(dir, 'drafts')).toBe(false);
		expect(hasPublicDocs(dir, 'missing')).toBe(false);
		expect(listProjectKeys(dir)).toEqual(['acme', 'drafts']);
	});

	it('serves only image files from the assets folder', () => {
		expect(readAsset(dir, 'acme', 'pic.png')).toEqual({
			body: Buffer.from('PNG'),
			type: 'image/png'
		});
		for (const bad of [
			'../b-second.md',
			'a-first.md',
			'.htaccess',
			'pic.png/..',
			'%2e%2e.png',
			'missing.png'
		]) {
			expect(readAsset(dir, 'acme', bad), bad).toBeUndefined();
		}
		expect(readAsset(dir, 'drafts', 'pic.png')).toBeUndefined();
	});

	afterEach(() => vi.useRealTimers());

	it('sees a doc added, changed or removed within a second, without a restart', () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		const later = () => vi.setSystemTime(Date.now() + 1001);
		expect(findDoc(dir, 'acme', 'd-new')).toBeUndefined();
		writeFileSync(join(dir, 'acme', 'd-new.md'), doc('New', 'Advanced', 6));
		// Looked at once a second at most: the same second still answers from what it read.
		expect(findDoc(dir, 'acme', 'd-new')).toBeUndefined();
		later();
		expect(findDoc(dir, 'acme', 'd-new')?.doc.title).toBe('New');
		const file = join(dir, 'acme', 'a-first.md');
		writeFileSync(file, doc('First, renamed', 'Basics', 1));
		utimesSync(file, new Date(), new Date(Date.now() + 5000));
		later();
		expect(findDoc(dir, 'acme', 'a-first')?.doc.title).toBe('First, renamed');
		rmSync(join(dir, 'acme'), { recursive: true });
		later();
		expect(hasPublicDocs(dir, 'acme')).toBe(false);
		mkdirSync(join(dir, 'acme'));
		writeFileSync(join(dir, 'acme', 'back.md'), doc('Back', 'Basics', 1));
		later();
		expect(loadProject(dir, 'acme')?.docs.map((d) => d.slug)).toEqual(['back']);
	});
});
