import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareCatalogs, type Catalog } from './catalog';

// The shipped languages are project.inlang's locales; each has messages/{locale}.json.
const settings = JSON.parse(readFileSync('project.inlang/settings.json', 'utf8')) as {
	baseLocale: string;
	locales: string[];
};
const load = (locale: string) =>
	JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Catalog;

describe('shipped messages', () => {
	it('every settings locale has a messages file and every messages file is a settings locale', () => {
		const files = readdirSync('messages')
			.filter((f) => f.endsWith('.json'))
			.map((f) => f.replace(/\.json$/, ''))
			.sort();
		expect(files).toEqual([...settings.locales].sort());
	});

	it('no language misses a key, has an extra key, or differs in placeholders from the base', () => {
		const catalogs = Object.fromEntries(settings.locales.map((l) => [l, load(l)]));
		expect(compareCatalogs(settings.baseLocale, catalogs)).toEqual([]);
	});
});

describe('the catalog check itself', () => {
	const plural = (one: string, other: string) => [
		{
			declarations: ['input count', 'local countPlural = count: plural'],
			selectors: ['countPlural'],
			match: { 'countPlural=one': one, 'countPlural=other': other }
		}
	];
	const en = { hello: 'Hello {name}', files: plural('One file', '{count} files'), bye: 'Bye' };

	it('reports a missing key, an extra key and wrong placeholders', () => {
		const de = { hello: 'Hallo {nom}', files: plural('Eine Datei', '{count} Dateien'), extra: 'x' };
		expect(compareCatalogs('en', { en, de })).toEqual([
			'de: missing "bye"',
			'de: "hello" takes {nom}, en takes {name}',
			'de: extra "extra" (not in en)'
		]);
	});

	it('reports a variant using an undeclared input or lacking "other"', () => {
		const broken = [
			{
				declarations: ['input count', 'local countPlural = count: plural'],
				selectors: ['countPlural'],
				match: { 'countPlural=one': '{n} file' }
			}
		];
		const fr = { hello: 'Bonjour {name}', files: broken, bye: 'Au revoir' };
		expect(compareCatalogs('en', { en, fr })).toEqual([
			'fr: "files" has no "other" (or "*") variant',
			'fr: "files" uses undeclared {n}'
		]);
	});
});

describe("the browser's locale list", () => {
	it('matches project.inlang', async () => {
		const { baseLocale, locales } = await import('$lib/i18n/locales');
		expect([baseLocale, [...locales]]).toEqual([settings.baseLocale, settings.locales]);
	});
});

describe('messages in the browser', () => {
	it('every browser-visible message has a shape the browser formats', async () => {
		const { toBrowser } = await import('./page-messages');
		for (const locale of settings.locales) {
			const unsupported = Object.entries(load(locale))
				.filter(([k]) => !k.startsWith('$') && !/^(mail_|form_|limit_|discord_)/.test(k))
				.filter(([, v]) => toBrowser(v) === null)
				.map(([k]) => `${locale}: ${k}`);
			expect(unsupported).toEqual([]);
		}
	});

	it('turns a plural message into categories with the selecting input', async () => {
		const { toBrowser } = await import('./page-messages');
		expect(toBrowser(load('fr').suggest_count)).toEqual({
			$: 'count',
			one: '1 article d’aide associé',
			other: '{count} articles d’aide associés'
		});
	});
});

describe("the browser's messages file", () => {
	it('has one address per language that changes with its content', async () => {
		const { messagesFile, messagesUrl, pageMessages } = await import('./page-messages');
		const urls = settings.locales.map((l: string) => messagesUrl(l as never));
		expect(new Set(urls).size).toBe(settings.locales.length);
		for (const [i, url] of urls.entries()) {
			expect(url).toMatch(new RegExp(`^/i18n/${settings.locales[i]}\\.[0-9a-f]{16}\\.json$`));
			expect(messagesFile(url.slice('/i18n/'.length))).toEqual({
				locale: settings.locales[i],
				current: true
			});
		}
		// The browser gets what it formats, and nothing for the server alone (mail, forms).
		const de = JSON.parse(pageMessages('de'));
		expect(de.create_template_by_type).toBe(load('de').create_template_by_type);
		expect(Object.keys(de).some((k) => /^(mail_|form_)/.test(k))).toBe(false);
	});

	it('knows an older build’s address as not current; refuses unknown languages and odd names', async () => {
		const { messagesFile } = await import('./page-messages');
		expect(messagesFile('de.0000000000000000.json')).toEqual({ locale: 'de', current: false });
		for (const bad of [
			'xx.0000000000000000.json',
			'de.000000000000000.json',
			'de.0000000000000000.js',
			'../de.0000000000000000.json',
			'de.json',
			''
		])
			expect(messagesFile(bad), bad).toBeUndefined();
	});
});
