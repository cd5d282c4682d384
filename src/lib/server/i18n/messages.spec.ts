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
