// Paraglide compiler options, shared by the Vite plugin (builds, dev) and `npm run i18n`
// (svelte-check, vitest), so both compile the same runtime.
//
// The middleware's first guess is cookie > Accept-Language > English; pages that belong to a
// project then re-resolve against that project's languages (src/lib/server/i18n). The locale
// never appears in a URL. In the browser the locale is the one the server rendered (<html lang>,
// see src/hooks.client.ts).
/** @type {import('@inlang/paraglide-js').CompilerOptions} */
export const paraglideOptions = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
	cookieName: 'lang',
	// Browser bundles drop the server branches (AsyncLocalStorage and friends).
	isServer: 'import.meta.env.SSR'
};
