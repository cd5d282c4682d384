import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsInLanguage, listPrerendered } from './docs-front.js';

// A build's prerendered folder: the demo docs in German and English, no French copy of `b`.
const dir = mkdtempSync(join(tmpdir(), 'docs-front-'));
for (const [path, body] of [
	['doc-lang/de/demo.html', 'de list'],
	['doc-lang/de/demo/a.html', 'de a'],
	['doc-lang/de/demo/a/__data.json', '{}'],
	['doc-lang/de/demo/a.html.br', 'x'],
	['doc-lang/en/demo/a.html', 'en a'],
	['doc-lang/en/demo/b.html', 'en b'],
	['doc-lang/fr/demo/a.html', 'fr a']
]) {
	mkdirSync(join(dir, path, '..'), { recursive: true });
	writeFileSync(join(dir, path), body);
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Choice = { locale: string; prerendered: boolean };
let answer: (key: string, cookie?: string, accept?: string) => Choice | Promise<Choice> | undefined;
const asked: string[] = [];
let server: Server;
let origin = '';

beforeAll(async () => {
	const route = docsInLanguage(listPrerendered(dir), (key, cookie, accept) => {
		asked.push(key);
		return answer(key, cookie, accept);
	});
	// Stands in for adapter-node's handler: says which path it got; sets Vary like sirv does.
	server = createServer((req, res) =>
		route(req, res, () => {
			if (!req.headers['x-plain']) res.setHeader('Vary', 'Accept-Encoding');
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.end(req.url);
		})
	);
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const address = server.address();
	origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
	return () =>
		new Promise<void>((r) => {
			server.close(() => r());
			server.closeAllConnections();
		});
});

async function get(path: string, init: RequestInit = {}) {
	const res = await fetch(origin + path, init);
	return {
		status: res.status,
		url: await res.text(),
		lang: res.headers.get('content-language'),
		vary: res.headers.get('vary')
	};
}

describe('listPrerendered', () => {
	it('lists the copies the way the handler knows them (no compressed twins)', () => {
		expect([...listPrerendered(dir)].sort()).toEqual([
			'/doc-lang/de/demo',
			'/doc-lang/de/demo/a',
			'/doc-lang/de/demo/a/__data.json',
			'/doc-lang/en/demo/a',
			'/doc-lang/en/demo/b',
			'/doc-lang/fr/demo/a'
		]);
		expect(listPrerendered(join(dir, 'missing')).size).toBe(0);
	});
});

describe('docs in the reader’s language', () => {
	it('hands the handler the copy in the chosen language, with Content-Language and Vary', async () => {
		answer = (_, cookie, accept) => ({
			locale: cookie === 'lang=fr' ? 'fr' : accept?.startsWith('de') ? 'de' : 'en',
			prerendered: true
		});
		expect(await get('/doc/demo/a', { headers: { 'accept-language': 'de-DE' } })).toEqual({
			status: 200,
			url: '/doc-lang/de/demo/a',
			lang: 'de',
			vary: 'Accept-Encoding, Cookie, Accept-Language'
		});
		const cookie = { 'accept-language': 'de-DE', cookie: 'lang=fr' };
		expect((await get('/doc/demo/a?x=1', { headers: cookie })).url).toBe('/doc-lang/fr/demo/a?x=1');
		expect((await get('/doc/demo', { headers: { 'accept-language': 'de' } })).url).toBe(
			'/doc-lang/de/demo'
		);
		expect(
			(await get('/doc/demo/a/__data.json', { headers: { 'accept-language': 'de' } })).url
		).toBe('/doc-lang/de/demo/a/__data.json');
		expect((await get('/doc/demo/b')).url).toBe('/doc-lang/en/demo/b');
		// A response without a Vary of its own: ours once.
		expect((await get('/doc/demo/b', { headers: { 'x-plain': '1' } })).vary).toBe(
			'Cookie, Accept-Language'
		);
	});

	it('waits for a resolver that has to look the project up', async () => {
		answer = () => Promise.resolve({ locale: 'de', prerendered: true });
		expect((await get('/doc/demo/a')).url).toBe('/doc-lang/de/demo/a');
	});

	it('leaves the request to the app when there is no fitting copy', async () => {
		const untouched = async (path: string, choice: Choice | undefined, method = 'GET') => {
			answer = () => choice;
			const r = await get(path, { method });
			expect(r.url).toBe(path);
			expect(r.lang).toBeNull();
			expect(r.vary).toBe('Accept-Encoding');
		};
		// No French copy of b (a doc added after the build has none in any language).
		await untouched('/doc/demo/b', { locale: 'fr', prerendered: true });
		await untouched('/doc/demo/new', { locale: 'en', prerendered: true });
		// The project offers only some languages: the app renders the page with its switcher.
		await untouched('/doc/demo/a', { locale: 'de', prerendered: false });
		// No app attached.
		await untouched('/doc/demo/a', undefined);
		await untouched('/doc/demo/a', { locale: 'de', prerendered: true }, 'POST');
		await untouched('/doc/demo/assets/x.png', { locale: 'de', prerendered: true });
		await untouched('/doc/demo/a/', { locale: 'de', prerendered: true });
		answer = () => Promise.reject(new Error('database down'));
		expect((await get('/doc/demo/a')).url).toBe('/doc/demo/a');
		answer = () => {
			throw new Error('boom');
		};
		expect((await get('/doc/demo/a')).url).toBe('/doc/demo/a');
	});

	it('does not ask for other paths', async () => {
		asked.length = 0;
		answer = () => ({ locale: 'de', prerendered: true });
		expect((await get('/ticket/demo')).url).toBe('/ticket/demo');
		expect((await get('/docs')).url).toBe('/docs');
		expect(asked).toEqual([]);
	});

	it('answers 404 for the copies’ own paths', async () => {
		for (const path of ['/doc-lang/de/demo/a', '/doc-lang', '/doc-lang/de/demo/a/__data.json'])
			expect((await get(path)).status).toBe(404);
	});
});
