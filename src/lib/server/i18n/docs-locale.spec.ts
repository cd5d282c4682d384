import { describe, expect, it } from 'vitest';
import * as projectAdmin from '$lib/server/projects/admin';
import { makeProject } from '$lib/server/test/factories';
import { testDb } from '$lib/server/test/test-db';
import { cookieValue, createDocsLocale, type DocsChoice } from './docs-locale';

// Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (see vite.config.ts).
const { db } = testDb();

describe('the docs language for the custom server', () => {
	it('follows the rule: cookie > the project’s languages vs Accept-Language > default', async () => {
		const p = await makeProject(db);
		const resolve = createDocsLocale(db);
		const de: DocsChoice = { locale: 'de', prerendered: true };
		expect(await resolve(p.key, undefined, 'de-DE,de;q=0.9,en;q=0.5')).toEqual(de);
		expect(await resolve(p.key, 'a=1; lang=es', 'de-DE')).toEqual({
			locale: 'es',
			prerendered: true
		});
		expect(await resolve(p.key, undefined, undefined)).toEqual({ locale: 'en', prerendered: true });
		expect(await resolve(p.key, 'lang=xx', 'pt-BR')).toEqual({ locale: 'en', prerendered: true });
	});

	it('a project with some languages: only those, and no prerendered copy', async () => {
		const p = await makeProject(db);
		await projectAdmin.setLanguages(db, p.id, { defaultLocale: 'fr', locales: ['de'] });
		const resolve = createDocsLocale(db);
		expect(await resolve(p.key, 'lang=es', 'es')).toEqual({ locale: 'fr', prerendered: false });
		expect(await resolve(p.key, 'lang=es', 'de')).toEqual({ locale: 'de', prerendered: false });
	});

	it('a docs folder without a project: every language, English by default', async () => {
		const resolve = createDocsLocale(db);
		expect(await resolve('no-such-project', undefined, 'fr')).toEqual({
			locale: 'fr',
			prerendered: true
		});
		expect(await resolve('no-such-project', undefined, 'ja')).toEqual({
			locale: 'en',
			prerendered: true
		});
	});

	it('answers from its cache at once and sees a change after the time to live', async () => {
		const p = await makeProject(db);
		let clock = 1_000;
		const resolve = createDocsLocale(db, { ttlMs: 5000, now: () => clock });
		expect(await resolve(p.key, undefined, 'es')).toEqual({ locale: 'es', prerendered: true });
		await projectAdmin.setLanguages(db, p.id, { defaultLocale: 'de', locales: ['de'] });
		// Cached: a plain value, no promise (no query on the hot path).
		expect(resolve(p.key, undefined, 'es')).toEqual({ locale: 'es', prerendered: true });
		clock += 5000;
		// Stale: still answered from the cache while one lookup refreshes it.
		expect(resolve(p.key, undefined, 'es')).toEqual({ locale: 'es', prerendered: true });
		await new Promise((r) => setTimeout(r, 50));
		await expect
			.poll(() => resolve(p.key, undefined, 'es'))
			.toEqual({
				locale: 'de',
				prerendered: false
			});
	});
});

describe('cookieValue', () => {
	it('reads the first cookie of that name, trimmed and decoded', () => {
		expect(cookieValue('a=1; lang=de; lang=fr', 'lang')).toBe('de');
		expect(cookieValue(' lang = fr ', 'lang')).toBe('fr');
		expect(cookieValue('xlang=de; lang=%65s', 'lang')).toBe('es');
		expect(cookieValue('lang=%zz', 'lang')).toBe('%zz');
		expect(cookieValue(undefined, 'lang')).toBeUndefined();
		expect(cookieValue('other=1', 'lang')).toBeUndefined();
	});
});
