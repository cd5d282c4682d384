import { describe, expect, it } from 'vitest';
import { dmText } from '$lib/server/discord/dm';
import { matchAccept, offered, parseList, preferred, resolveLocale, toShipped } from './resolve';

describe('Accept-Language', () => {
	it('orders tags by weight, keeps header order on ties and drops q=0 and *', () => {
		expect(preferred('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toEqual([
			'fr-ch',
			'fr',
			'en',
			'de'
		]);
		expect(preferred('de;q=0.5, es')).toEqual(['es', 'de']);
		expect(preferred('en;q=0, de')).toEqual(['de']);
		expect(preferred('')).toEqual([]);
		expect(preferred(null)).toEqual([]);
	});

	it('matches a region tag to its language, best weight first, among the allowed only', () => {
		expect(matchAccept('de-DE,de;q=0.9,en;q=0.8', ['en', 'de', 'fr', 'es'])).toBe('de');
		expect(matchAccept('pt-BR, es;q=0.4, en;q=0.3', ['en', 'de', 'fr', 'es'])).toBe('es');
		// German is asked first but not offered: the next language the project offers wins.
		expect(matchAccept('de-DE, fr;q=0.5', ['en', 'fr'])).toBe('fr');
		expect(matchAccept('ja, zh', ['en', 'de'])).toBeUndefined();
	});
});

describe('the locale rule', () => {
	const project = { allowed: ['fr', 'en', 'de'] as const, fallback: 'fr' as const };
	const rule = (choice: string | null, acceptLanguage: string | null) =>
		resolveLocale({ choice, acceptLanguage, allowed: [...project.allowed], fallback: 'fr' });

	it('explicit choice > allowed languages against Accept-Language > the default', () => {
		expect(rule('de', 'en-US')).toBe('de');
		expect(rule(null, 'en-US,en;q=0.9')).toBe('en');
		expect(rule(null, 'ja')).toBe('fr');
		expect(rule(null, null)).toBe('fr');
	});

	it('ignores a choice the project does not offer, or garbage in the cookie', () => {
		expect(rule('es', 'de-AT')).toBe('de');
		expect(rule('<script>', null)).toBe('fr');
		expect(rule('DE', null)).toBe('de');
	});
});

describe('project languages', () => {
	it('offers the default first; NULL offers every shipped language', () => {
		expect(offered({ default_locale: 'de', locales: null })).toEqual({
			fallback: 'de',
			allowed: ['de', 'en', 'fr', 'es']
		});
		expect(offered({ default_locale: 'es', locales: 'en,es' })).toEqual({
			fallback: 'es',
			allowed: ['es', 'en']
		});
	});

	it('keeps working when a stored code is no longer shipped', () => {
		expect(offered({ default_locale: 'xx', locales: 'xx,fr' })).toEqual({
			fallback: 'en',
			allowed: ['en', 'fr']
		});
		expect(parseList(' FR , fr, de ,')).toEqual(['fr', 'de']);
	});

	it('maps client locales (Discord, stored) to shipped ones', () => {
		expect(toShipped('es-ES')).toBe('es');
		expect(toShipped('en-GB')).toBe('en');
		expect(toShipped('fr')).toBe('fr');
		expect(toShipped('pt-BR')).toBeUndefined();
		expect(toShipped(null)).toBeUndefined();
	});
});

describe('Discord DMs', () => {
	it("wrap a notification in the recipient's language", () => {
		const text = dmText(
			{
				subject: 'Re: [Demo] Drucker',
				paragraphs: ['Der Support von Demo hat auf „Drucker“ geantwortet.'],
				quote: { author: 'Agent', body: 'Wir kümmern uns.' },
				action: { label: 'Antworten', url: 'https://x.example/t' }
			},
			'https://x.example/u',
			'de'
		);
		expect(text).toContain('Agent schrieb:\n> Wir kümmern uns.');
		expect(text).toContain('-# Diese Nachrichten abbestellen: https://x.example/u');
	});
});
