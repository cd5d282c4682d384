import { expect, test } from '@playwright/test';
import { withDb } from './fixtures/data';
import { expectAccessible, pageIn } from './fixtures/helpers';
import { launchServer } from './fixtures/server';

// The docs' chrome in the reader's language at the same URL (the doc's own words stay as
// written): the prerendered copy of that language, picked by the server in front of the app.
test.describe.configure({ timeout: 120_000 });

const ARTICLE = '/doc/demo/attaching-files';

test('Accept-Language de-DE: German docs chrome at the same URL, the doc as written', async ({
	browser,
	baseURL
}) => {
	// JavaScript on for axe; the docs pages themselves ship none.
	const page = await pageIn(browser, 'de-DE,de;q=0.9,en;q=0.5', true);
	const res = await page.goto(ARTICLE);
	await expect(page.locator('script')).toHaveCount(0);
	expect(page.url()).toBe(`${baseURL}${ARTICLE}`);
	expect(res?.headers()['content-language']).toBe('de');
	expect(res?.headers()['vary']).toMatch(/Cookie, Accept-Language/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');
	await expect(page).toHaveTitle('Attaching files and screenshots · Demo Project');
	await expect(
		page.getByRole('heading', { level: 1, name: 'Attaching files and screenshots' })
	).toBeVisible();
	const crumbs = page.getByRole('navigation', { name: 'Navigationspfad' });
	await expect(crumbs.getByRole('link')).toHaveText('Hilfe zu Demo Project');
	await expect(page.getByRole('navigation', { name: 'Auf dieser Seite' })).toBeVisible();
	await expect(
		page.getByRole('link', { name: 'Link zum Abschnitt „How to attach“' })
	).toHaveAttribute('href', '#how-to-attach');
	await expect(
		page.getByRole('navigation', { name: 'Weitere Artikel zu Getting started' }).getByRole('link')
	).toHaveText([/Vorheriger Artikel\s*Writing a good ticket/]);
	await expect(
		page.getByRole('heading', { level: 2, name: 'Noch nicht weitergekommen?' })
	).toBeVisible();
	await expect(page.getByRole('link', { name: 'Ticket erstellen' })).toHaveAttribute(
		'href',
		'/ticket/demo'
	);
	await expect(page.getByLabel('Sprache')).toHaveValue('de');
	await expect(page.getByText('Still stuck?')).toHaveCount(0);
	await expectAccessible(page);

	await crumbs.getByRole('link').click();
	await expect(page).toHaveURL(/\/doc\/demo$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Hilfeartikel' })).toBeVisible();
	await expect(page).toHaveTitle('Hilfeartikel · Demo Project');
	await expect(
		page.getByRole('heading', { level: 2, name: 'Keine Antwort gefunden?' })
	).toBeVisible();
	await expectAccessible(page);
	await page.context().close();
});

test('the switcher’s cookie wins over Accept-Language, without JavaScript, same URL', async ({
	browser,
	baseURL
}) => {
	const page = await pageIn(browser, 'de-DE,de;q=0.9', false);
	await page.goto(ARTICLE);
	await page.getByLabel('Sprache').selectOption('es');
	await page.getByRole('button', { name: 'Sprache ändern' }).click();
	await expect(page).toHaveURL(`${baseURL}${ARTICLE}`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'es');
	await expect(
		page.getByRole('heading', { level: 2, name: '¿Sigue sin resolverlo?' })
	).toBeVisible();
	await expect(page.getByLabel('Idioma')).toHaveValue('es');
	// The choice holds on the next page, and the browser does not reuse the German copy.
	await page.goto('/doc/demo');
	await expect(page.getByRole('heading', { level: 1, name: 'Artículos de ayuda' })).toBeVisible();
	await page.getByLabel('Idioma').selectOption('de');
	await page.getByRole('button', { name: 'Cambiar idioma' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Hilfeartikel' })).toBeVisible();
	await page.context().close();
});

test('English by default: a language the portal does not ship, or none asked for', async ({
	browser,
	baseURL
}) => {
	const page = await pageIn(browser, 'ja-JP,ja;q=0.9', false);
	const res = await page.goto(ARTICLE);
	expect(res?.headers()['content-language']).toBe('en');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText(
		'Demo Project help'
	);
	await expect(page.getByRole('heading', { level: 2, name: 'Still stuck?' })).toBeVisible();
	await page.context().close();
	const plain = await (await fetch(`${baseURL}${ARTICLE}`)).text();
	expect(plain).toContain('<html lang="en">');
	expect(plain).toContain('Still stuck?');
});

test('from the German create page (JavaScript on), the docs link opens the German docs', async ({
	browser
}) => {
	const page = await pageIn(browser, 'de-DE,de;q=0.9', true);
	await page.goto('/ticket/demo');
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');
	await page.getByRole('link', { name: 'Vor dem Absenden in die Dokumentation schauen' }).click();
	await expect(page).toHaveURL(/\/doc\/demo$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Hilfeartikel' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');
	await page.context().close();
});

test('the internal copies are not reachable under their own paths', async ({ request }) => {
	for (const path of ['/doc-lang/de/demo/attaching-files', '/doc-lang/de/demo'])
		expect((await request.get(path)).status(), path).toBe(404);
});

test('a project that offers only some languages: its docs in one of those, rendered on demand', async ({
	browser
}) => {
	const server = await launchServer();
	try {
		withDb(
			(db) =>
				db
					.prepare(
						`UPDATE projects SET default_locale = 'fr', locales = 'de,fr' WHERE key = 'demo'`
					)
					.run(),
			server.dataDir
		);
		const page = await pageIn(browser, 'es-ES,es;q=0.9', false);
		const res = await page.goto(`${server.origin}${ARTICLE}`);
		expect(res?.headers()['content-language']).toBe('fr');
		await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
		await expect(
			page.getByRole('heading', { level: 2, name: 'Toujours pas de solution ?' })
		).toBeVisible();
		// Only the project's languages to choose from.
		await expect(page.getByLabel('Langue').locator('option')).toHaveText(['Deutsch', 'Français']);
		await page.getByLabel('Langue').selectOption('de');
		await page.getByRole('button', { name: 'Changer de langue' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'de');
		await expect(
			page.getByRole('heading', { level: 2, name: 'Noch nicht weitergekommen?' })
		).toBeVisible();
		await page.context().close();
	} finally {
		await server.stop();
	}
});
