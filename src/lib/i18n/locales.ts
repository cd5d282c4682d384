// Mirrors project.inlang/settings.json (a spec checks they agree) for the browser's runtime.
export const baseLocale = 'en';
export const locales = ['en', 'de', 'fr', 'es'] as const;
