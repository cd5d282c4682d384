import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { paraglideOptions } from './i18n.config.js';
import { kitSvelteNames, staffCopies } from './vite.chunks';

// Spec files that touch a database run a second time against PostgreSQL when
// TEST_DATABASE_URL is set (each file in a schema of its own, see src/lib/server/test/test-db.ts).
const usesDatabase = (file: string) => /test-db|TEST_DIALECT/.test(readFileSync(file, 'utf8'));
const specs = (dir: string): string[] =>
	readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory()
			? specs(join(dir, e.name))
			: e.name.endsWith('.spec.ts')
				? [join(dir, e.name)]
				: []
	);
const project = (name: 'sqlite' | 'postgres', include: string[]) => ({
	extends: true as const,
	test: { name, include, env: { TEST_DIALECT: name } }
});
const postgres = process.env.TEST_DATABASE_URL;
// Vitest loads this file once per project; say it once.
if (!postgres && process.env.VITEST && !process.env.TEST_POSTGRES_NOTED) {
	process.env.TEST_POSTGRES_NOTED = '1';
	console.log('PostgreSQL specs skipped: set TEST_DATABASE_URL to run them against PostgreSQL too');
}

/**
 * In the browser build, `$lib/paraglide/messages.js` and `runtime.js` are
 * $lib/i18n/client-{messages,runtime}.ts: messages come from the page's HTML in its one language
 * instead of all languages compiled into the JS, and the locale is <html lang>. The server (SSR,
 * mail, vitest) keeps Paraglide's compiled functions and runtime.
 */
const clientMessages = (): Plugin => ({
	name: 'portal-client-messages',
	enforce: 'pre',
	resolveId(source, _importer, options) {
		const client = this.environment ? this.environment.config.consumer === 'client' : !options?.ssr;
		const part = client && /(^|\/)paraglide\/(messages|runtime)\.js$/.exec(source)?.[2];
		if (!part) return null;
		return fileURLToPath(new URL(`./src/lib/i18n/client-${part}.ts`, import.meta.url));
	}
});

/**
 * Paraglide's generated `plural()` builds a new `Intl.PluralRules` on every call (a thread page
 * renders many plural messages); keep one per locale and options instead.
 */
const PLURAL_NEW = /return new Intl\.PluralRules\(locale, options\)\.select\(Number\(input\)\);?/;
const pluralRulesOnce = (): Plugin => ({
	name: 'portal-plural-rules-once',
	transform(code, id) {
		if (!/paraglide\/registry\.js$/.test(id) || !PLURAL_NEW.test(code)) return null;
		return (
			code.replace(
				PLURAL_NEW,
				`const key = locale + JSON.stringify(options ?? null);
	let rules = pluralRules.get(key);
	if (!rules) pluralRules.set(key, (rules = new Intl.PluralRules(locale, options)));
	return rules.select(Number(input));`
			) + '\nconst pluralRules = new Map();\n'
		);
	}
});

export default defineConfig({
	plugins: [
		clientMessages(),
		pluralRulesOnce(),
		// Less JavaScript on public pages (vite.chunks.ts).
		staffCopies(),
		kitSvelteNames(),
		// Public pages and mail in the reader's language: compiled, tree-shaken message functions
		// (messages/{locale}.json). The locale is chosen per request on the server (see
		// $lib/server/i18n) and never appears in a URL.
		paraglideVitePlugin(paraglideOptions),
		sveltekit()
	],
	// Keep `npm start`'s first build quiet: the plugin timing report is for profiling builds.
	// Import loops stay reported (and `npm run check:loops` fails on them).
	build: { rolldownOptions: { checks: { pluginTimings: false, circularDependency: true } } },
	test: {
		environment: 'node',
		pool: 'forks',
		testTimeout: 20_000,
		projects: [
			project('sqlite', ['src/**/*.spec.ts']),
			...(postgres ? [project('postgres', specs('src').filter(usesDatabase))] : [])
		]
	}
});
