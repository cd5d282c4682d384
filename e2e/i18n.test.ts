import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { expectAccessible, linkIn, mailsTo, pageIn, uniqueEmail } from './fixtures/helpers';
import { openTicket, useStaffServer } from './fixtures/staff';
import { seedTicket } from './fixtures/threads';

// Public pages and mail in the reporter's language; staff pages stay English.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const s = useStaffServer();

test('Accept-Language de-DE: German create page, German confirmation, German mail after an English staff reply', async ({
	browser
}) => {
	const origin = s.server.origin;
	const email = uniqueEmail();
	const title = `Drucker brennt ${Date.now()}`;
	const page = await pageIn(browser, 'de-DE,de;q=0.9,en;q=0.5');
	await page.goto(`${origin}/ticket/demo`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');
	await expect(page.getByRole('heading', { level: 1, name: 'Ticket erstellen' })).toBeVisible();
	await page.getByLabel('E-Mail').fill(email);
	await page.getByLabel('Titel').fill(title);
	await page.getByLabel('Beschreibung').fill('Der Export-Knopf tut nichts.');
	await page.getByRole('button', { name: 'Ticket absenden' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\//);
	await expect(page.getByText('Vielen Dank, wir haben Ihr Ticket erhalten.')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Antworten' })).toBeVisible();

	const [confirmation] = await mailsTo(email, 1, s.server.dataDir);
	expect(confirmation.subject).toContain('Wir haben Ihr Ticket erhalten');
	expect(confirmation.text).toContain('Ihr Ticket ansehen: ');
	expect(confirmation.text).toContain('Abmelden: ');
	// The thread link carries no language: the page we are on is exactly the mailed link.
	expect(linkIn(confirmation, '/ticket/thread/')).toBe(page.url());

	// Staff answer from the English dashboard; the reporter's mail stays German.
	const staff = await s.adminPage(browser);
	await openTicket(staff, origin, title);
	await expect(staff.locator('html')).toHaveAttribute('lang', 'en');
	await staff.getByLabel('Public reply').fill('We are looking into it.');
	await staff.getByRole('button', { name: 'Send reply' }).click();
	await expect(staff.getByText('Reply sent to everyone on the ticket.')).toBeVisible();
	const [, answer] = await mailsTo(email, 2, s.server.dataDir);
	expect(answer.text).toContain(`Der Support von Demo`);
	expect(answer.text).toContain(`hat auf „${title}“ geantwortet.`);
	expect(answer.text).toContain('Antworten: ');
	expect(answer.html).toContain('<body lang="de"');
	expect(linkIn(answer, '/ticket/thread/')).toBe(page.url());
	await page.context().close();
	await staff.context().close();
});

test("the browser's messages: one cached file per language, fetched while the page loads", async ({
	browser
}) => {
	const origin = s.server.origin;
	const page = await pageIn(browser, 'de-DE,de;q=0.9');
	const fetched: { url: string; cache: string | undefined }[] = [];
	page.on('response', (res) => {
		if (new URL(res.url()).pathname.startsWith('/i18n/'))
			fetched.push({ url: res.url(), cache: res.headers()['cache-control'] });
	});
	const html = await (await page.goto(`${origin}/ticket/demo`))!.text();
	// The page names its language's file; the messages themselves are not in it.
	const href = /href="(\/i18n\/de\.[0-9a-f]{16}\.json)"/.exec(html)?.[1];
	expect(href).toBeTruthy();
	expect(html).not.toContain('Durch die gewählte Art festgelegt.');
	// Text the scripts render after hydration is German: formatted from that file.
	await expect(async () => {
		await page.getByLabel('Art des Anliegens').selectOption({ value: 'problem' });
		await expect(page.getByText('Durch die gewählte Art festgelegt.')).toBeVisible({
			timeout: 1000
		});
	}).toPass();
	// Requested once (the scripts' fetch takes the preloaded answer), kept for a year: its
	// address changes with its content.
	expect(fetched).toEqual([{ url: origin + href, cache: 'public, max-age=31536000, immutable' }]);
	// A page cached across an upgrade names an older file: today's messages, revalidated.
	const old = await page.request.get(`${origin}/i18n/de.0000000000000000.json`);
	expect(old.headers()['cache-control']).toBe('no-cache');
	expect((await old.json()).create_template_by_type).toBe('Durch die gewählte Art festgelegt.');
	expect((await page.request.get(`${origin}/i18n/xx.0000000000000000.json`)).status()).toBe(404);
	await page.context().close();
});

test('without its messages file the page stays as the server rendered it and still works', async ({
	browser
}) => {
	const origin = s.server.origin;
	const page = await pageIn(browser, 'de-DE,de;q=0.9');
	await page.route('**/i18n/**', (route) => route.abort());
	await page.goto(`${origin}/ticket/demo`);
	await expect(page.getByRole('heading', { level: 1, name: 'Ticket erstellen' })).toBeVisible();
	await page.getByLabel('E-Mail').fill(uniqueEmail());
	await page.getByLabel('Titel').fill('Ohne Übersetzungsdatei');
	await page.getByLabel('Beschreibung').fill('Die Seite lädt ihre Texte nicht.');
	await page.getByRole('button', { name: 'Ticket absenden' }).click();
	// The form posts the way it does without JavaScript: no message keys, a German thread page.
	await expect(page).toHaveURL(/\/ticket\/thread\//);
	await expect(page.getByText('Vielen Dank, wir haben Ihr Ticket erhalten.')).toBeVisible();
	await expect(page.getByText(/create_|thread_|common_/)).toHaveCount(0);
	await page.context().close();
});

test('the switcher changes the language without JavaScript, the choice sticks, the URL stays', async ({
	browser
}) => {
	const origin = s.server.origin;
	const page = await pageIn(browser, 'en-US,en;q=0.9', false);
	await page.goto(`${origin}/ticket/demo`);
	await expect(page.getByRole('heading', { level: 1, name: 'Open a ticket' })).toBeVisible();
	await page.getByLabel('Language').selectOption({ label: 'Français' });
	await page.getByRole('button', { name: 'Change language' }).click();
	await expect(page).toHaveURL(`${origin}/ticket/demo`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	await expect(page.getByRole('heading', { level: 1, name: 'Ouvrir un ticket' })).toBeVisible();
	expect((await page.context().cookies()).find((c) => c.name === 'lang')?.value).toBe('fr');

	// It sticks: another public page, a fresh load, in spite of Accept-Language: en.
	await page.goto(`${origin}/ticket/unsubscribe/not-a-real-token`);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Se désabonner des e-mails du ticket' })
	).toBeVisible();
	// A reporter's form errors come back in the chosen language too (server-side messages).
	await page.goto(`${origin}/ticket/demo`);
	await page.getByLabel('E-mail').fill('nobody@example.com');
	await page.getByLabel('Titre').fill('ab');
	await page.getByLabel('Description').fill('x');
	await page.locator('form[action="?/create"]').evaluate((f) => f.setAttribute('novalidate', ''));
	await page.getByRole('button', { name: 'Envoyer le ticket' }).click();
	await expect(page.getByText('Donnez au ticket un titre d’au moins 3 caractères.')).toBeVisible();

	// And back to Spanish from there, still without JavaScript.
	await page.getByLabel('Langue').selectOption({ label: 'Español' });
	await page.getByRole('button', { name: 'Changer de langue' }).click();
	await expect(page).toHaveURL(`${origin}/ticket/demo`);
	await expect(page.getByRole('heading', { level: 1, name: 'Abrir un ticket' })).toBeVisible();
	await page.context().close();
});

test('axe: the create page is clean in all four languages at 390 and 1280 px', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const origin = s.server.origin;
	for (const [lang, heading] of [
		['en', 'Open a ticket'],
		['de', 'Ticket erstellen'],
		['fr', 'Ouvrir un ticket'],
		['es', 'Abrir un ticket']
	] as const) {
		const page = await pageIn(browser, lang);
		await page.goto(`${origin}/ticket/demo`);
		await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', lang);
		for (const width of [390, 1280]) {
			await page.setViewportSize({ width, height: 900 });
			const results = await new AxeBuilder({ page }).analyze();
			const bad = results.violations
				.filter((v) => v.impact === 'serious' || v.impact === 'critical')
				.map((v) => `${v.id} (${lang}, ${width}px)`);
			expect(bad, 'serious/critical axe violations').toEqual([]);
		}
		await page.context().close();
	}
});

test("the project's languages: default and offered languages set in the dashboard", async ({
	browser
}) => {
	const origin = s.server.origin;
	const admin = await s.adminPage(browser);
	await admin.goto(`${origin}/app/projects/demo`);
	await admin.getByLabel('Default language').selectOption({ label: 'Español' });
	const offered = admin.getByRole('group', { name: 'Offered languages' });
	// A click before the page has hydrated is undone by hydration: retry until the boxes stay off.
	await expect(async () => {
		for (const name of ['Deutsch', 'Français']) await offered.getByLabel(name).uncheck();
		await admin.waitForTimeout(300);
		for (const name of ['Deutsch', 'Français'])
			await expect(offered.getByLabel(name)).not.toBeChecked({ timeout: 100 });
	}).toPass();
	await admin.getByRole('button', { name: 'Save languages' }).click();
	await expect(admin.getByText('Languages saved.')).toBeVisible();

	try {
		// German is not offered: a German browser gets the project's default, Spanish…
		const german = await pageIn(browser, 'de-DE,de;q=0.9');
		await german.goto(`${origin}/ticket/demo`);
		await expect(german.getByRole('heading', { level: 1, name: 'Abrir un ticket' })).toBeVisible();
		// …and the switcher offers only the project's languages.
		await expect(german.getByLabel('Idioma').locator('option')).toHaveText(['Español', 'English']);
		await german.context().close();
		// A browser that asks for English among others gets English.
		const mixed = await pageIn(browser, 'fr-FR,en;q=0.8');
		await mixed.goto(`${origin}/ticket/demo`);
		await expect(mixed.getByRole('heading', { level: 1, name: 'Open a ticket' })).toBeVisible();
		await mixed.context().close();
	} finally {
		await admin.getByLabel('Default language').selectOption({ label: 'English' });
		for (const name of ['Deutsch', 'Français']) await offered.getByLabel(name).check();
		await admin.getByRole('button', { name: 'Save languages' }).click();
		await expect(admin.getByText('Languages saved.')).toBeVisible();
		await admin.context().close();
	}
});

test('Accept-Language de-DE: German My tickets sign-in page and a German sign-in mail', async ({
	browser
}) => {
	const origin = s.server.origin;
	const email = uniqueEmail('meine');
	seedTicket({ title: `Drucker ${Date.now()}`, recipients: [{ email }] }, s.server.dataDir);
	const page = await pageIn(browser, 'de-DE,de;q=0.9,en;q=0.5');
	await page.goto(`${origin}/tickets`);
	await expect(page).toHaveURL(/\/tickets\/login$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');
	await expect(page.getByRole('heading', { level: 1, name: 'Meine Tickets' })).toBeVisible();
	await expect(page.getByLabel('Sprache')).toHaveValue('de');
	await expectAccessible(page);
	await page.getByLabel('E-Mail').fill(email);
	await page.getByRole('button', { name: 'Anmeldelink per E-Mail senden' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Prüfen Sie Ihre E-Mails' })
	).toBeVisible();
	await expect(page.getByRole('status')).toContainText(`Falls ${email} an einem Ticket hier`);
	await expectAccessible(page);

	const [mail] = await mailsTo(email, 1, s.server.dataDir);
	expect(mail.subject).toBe('Ihr Anmeldelink für „Meine Tickets“');
	expect(mail.html).toContain('<body lang="de"');
	const code = /Anmeldeseite ein: (\d{6})/.exec(mail.text ?? '')?.[1];
	expect(code, 'the German mail carries the code').toBeTruthy();
	expect(linkIn(mail, '/tickets/login/')).toContain(`${origin}/tickets/login/`);

	// A wrong code answers in German too (a server-side sentence, with its plural).
	const wrong = code === '000000' ? '111111' : '000000';
	await page.getByLabel('Code aus der E-Mail').fill(wrong);
	await page.getByRole('button', { name: 'Mit dem Code anmelden' }).click();
	await expect(page.getByText('Dieser Code ist nicht richtig.')).toContainText('noch 4 Versuche');
	await page.getByLabel('Code aus der E-Mail').fill(code!);
	await page.getByRole('button', { name: 'Mit dem Code anmelden' }).click();
	await expect(page).toHaveURL(/\/tickets$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Meine Tickets' })).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'Nach Status filtern' })).toBeVisible();
	await expectAccessible(page);
	await page.context().close();
});
