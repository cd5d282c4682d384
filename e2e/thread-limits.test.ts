import { expect, test } from '@playwright/test';
import { uniqueEmail } from './fixtures/helpers';
import { launchServer, type TestServer } from './fixtures/server';
import { seedTicket } from './fixtures/threads';

let server: TestServer;
test.beforeAll(async () => {
	server = await launchServer({ REPLY_LIMIT_PER_TOKEN: '2', REPLY_LIMIT_WINDOW_SEC: '3600' });
});
test.afterAll(async () => server?.stop());

test('over the per-link reply limit: 429 with a sentence and Retry-After, the typed reply kept, with and without JS, across a restart', async ({
	browser
}) => {
	const { recipients } = seedTicket(
		{ recipients: [{ email: uniqueEmail('busy') }, { email: uniqueEmail('calm'), role: 'cc' }] },
		server.dataDir
	);
	const url = (path: string) => server.origin + path;

	const js = await browser.newContext();
	const page = await js.newPage();
	await page.goto(url(recipients[0].path));
	for (const text of ['one', 'two']) {
		await page.getByLabel('Message').fill(`Reply ${text}`);
		await page.getByRole('button', { name: 'Send reply' }).click();
		await expect(page.getByRole('status')).toContainText('Reply sent');
		await expect(page.getByText(`Reply ${text}`)).toBeVisible();
	}
	await page.getByLabel('Message').fill('A long and careful third reply');
	const answer = page.waitForResponse((r) => r.request().method() === 'POST');
	await page.getByRole('button', { name: 'Send reply' }).click();
	const res = await answer;
	expect(Number(res.headers()['retry-after'])).toBeGreaterThan(3000);
	await expect(page.getByRole('alert')).toContainText(/Please try again in (1 hour|60 minutes)/);
	await expect(page.getByRole('alert')).toBeFocused();
	await expect(page.getByLabel('Message')).toHaveValue('A long and careful third reply');
	await expect(
		page.getByRole('listitem').filter({ hasText: 'A long and careful third reply' })
	).toHaveCount(0);
	await js.close();

	// The limit is stored in SQLite, so a restart does not reset it.
	await server.restart();

	const noJs = await browser.newContext({ javaScriptEnabled: false });
	const plain = await noJs.newPage();
	await plain.goto(url(recipients[0].path));
	await plain.getByLabel('Message').fill('Typed without scripts');
	const [post] = await Promise.all([
		plain.waitForResponse((r) => r.request().method() === 'POST'),
		plain.getByRole('button', { name: 'Send reply' }).click()
	]);
	expect(post.status()).toBe(429);
	expect(Number(post.headers()['retry-after'])).toBeGreaterThan(3000);
	expect(post.headers()['cache-control']).toBe('no-store');
	await expect(plain.getByRole('alert')).toContainText('Please try again in');
	await expect(plain.getByLabel('Message')).toHaveValue('Typed without scripts');

	// The other recipient's link has its own budget.
	await plain.goto(url(recipients[1].path));
	await plain.getByLabel('Message').fill('From the calm recipient');
	await plain.getByRole('button', { name: 'Send reply' }).click();
	await expect(plain.getByRole('status')).toContainText('Reply sent');
	await noJs.close();
});
