import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Sqlite } from './fixtures/data';
import { expectAccessible, origin, uniqueEmail } from './fixtures/helpers';
import { signInByCode } from './fixtures/portal';
import { launchServer, type TestServer } from './fixtures/server';
import { seedTicket } from './fixtures/threads';

let sqlite: Sqlite | undefined;
const db = () => (sqlite ??= openDb());
test.afterAll(() => sqlite?.close());

const tag = () => Math.random().toString(36).slice(2, 8);

/** A ticket where `me` reported and wrote a message, `other` is notified, staff left a note. */
function seedMine(me: string, other: string) {
	const words = `My own words ${tag()}`;
	const note = `Internal note ${tag()}`;
	const t = seedTicket({
		title: `Printer on fire ${tag()}`,
		recipients: [{ email: me, name: 'Mia Mine' }, { email: other }],
		messages: [
			{ by: 0, body: words },
			{ by: 'staff', body: 'We are on it.' },
			{ by: 'staff', body: note, visibility: 'internal' }
		]
	});
	const title = (
		db().prepare('SELECT title FROM tickets WHERE id = ?').get(t.ticketId) as { title: string }
	).title;
	return { ...t, title, words, note };
}

/** Clicks "Download my data" and returns the saved ZIP's path and suggested name. */
async function download(page: Page) {
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Download my data (ZIP)' }).click()
	]);
	const path = join(mkdtempSync(join(tmpdir(), 'my-data-')), 'data.zip');
	await file.saveAs(path);
	return { path, name: file.suggestedFilename() };
}

const unzipList = (zip: string) => execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' });
const unzipText = (zip: string, entry: string) =>
	execFileSync('unzip', ['-p', zip, entry], { encoding: 'utf8' });

/** Ticks the box and deletes; ends on the "deleted" page. */
async function deleteMyData(page: Page) {
	await page.getByLabel('I understand that my data will be deleted').check();
	await page.getByRole('button', { name: 'Delete my data' }).click();
	await expect(page).toHaveURL(/\/tickets\/data\/erased$/);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Your data has been deleted' })
	).toBeVisible();
}

const recipientsWith = (email: string) =>
	(
		db()
			.prepare('SELECT count(*) AS n FROM ticket_recipients WHERE lower(email) = lower(?)')
			.get(email) as { n: number }
	).n;

test('Your data: the ZIP holds my ticket and words, deleting needs a POST with the box ticked', async ({
	page,
	browser
}) => {
	const me = uniqueEmail('data');
	const other = uniqueEmail('other');
	const t = seedMine(me, other);

	// Nothing without a portal session.
	for (const path of ['/tickets/data', '/tickets/data/download']) {
		await page.goto(path);
		await expect(page).toHaveURL(/\/tickets\/login$/);
	}

	await signInByCode(page, me);
	// A file of mine, uploaded with a reply on my thread page.
	await page.goto(t.recipients[0].path);
	await page.getByLabel('Message').fill('Here is the photo.');
	await page.getByLabel('Attach files').setInputFiles({
		name: 'proof.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from('smoke everywhere')
	});
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByRole('link', { name: /proof\.txt/ })).toBeVisible();

	await page.goto('/tickets');
	await page.getByRole('link', { name: 'Your data' }).click();
	await expect(page).toHaveURL(/\/tickets\/data$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Your data' })).toBeVisible();
	// What goes is named before anything happens.
	const warning = page.locator('.notice.warning');
	await expect(warning).toContainText('on 1 ticket;');
	await expect(warning).toContainText('the 2 messages you wrote');
	await expect(warning).toContainText('delete the 1 file you uploaded');
	await expectAccessible(page);

	const zip = await download(page);
	expect(zip.name).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.zip$/);
	expect(unzipList(zip.path)).toMatch(/proof\.txt/);
	const json = unzipText(zip.path, 'data.json');
	expect(json).toContain(t.title);
	expect(json).toContain(t.words);
	expect(json).toContain('We are on it.');
	expect(json).not.toContain(t.note);
	expect(json).not.toContain(other);

	const headers = (await page.request.get('/tickets/data/download')).headers();
	expect(headers['content-type']).toBe('application/zip');
	expect(headers['content-disposition']).toMatch(/^attachment; filename="my-data-/);
	expect(headers['cache-control']).toBe('no-store');

	// A GET of the delete URL (a prefetcher, a mail scanner) and a POST without the box change
	// nothing.
	expect((await page.request.get('/tickets/data?/erase')).status()).toBe(200);
	const unticked = await page.request.post('/tickets/data?/erase', {
		form: { other: 'x' },
		// What a browser's form POST sends (no JavaScript: the page comes back with the error).
		headers: { origin: origin(), accept: 'text/html' },
		maxRedirects: 0
	});
	expect(unticked.status()).toBe(400);
	expect(await unticked.text()).toContain('Tick the box to confirm');
	expect(recipientsWith(me)).toBe(1);
	await page.goto(t.recipients[0].path);
	await expect(page.getByRole('heading', { level: 1, name: t.title })).toBeVisible();

	await page.goto('/tickets/data');
	await deleteMyData(page);
	await expectAccessible(page);
	expect(recipientsWith(me)).toBe(0);

	// My thread link is dead, My tickets asks to sign in, the others keep the conversation.
	expect((await page.goto(t.recipients[0].path))?.status()).toBe(404);
	await page.goto('/tickets');
	await expect(page).toHaveURL(/\/tickets\/login$/);
	// Signed out: the delete action and the download send to the sign-in page, doing nothing.
	const late = await page.request.post('/tickets/data?/erase', {
		form: { confirm: 'yes' },
		headers: { origin: origin(), accept: 'text/html' },
		maxRedirects: 0
	});
	expect([late.status(), late.headers()['location']]).toEqual([303, '/tickets/login']);
	const gone = await page.request.get('/tickets/data/download', { maxRedirects: 0 });
	expect([gone.status(), gone.headers()['location']]).toEqual([303, '/tickets/login']);
	const theirs = await (await browser.newContext()).newPage();
	await theirs.goto(t.recipients[1].path);
	await expect(theirs.getByText(t.words)).toBeVisible();
	await expect(theirs.getByText(me)).toHaveCount(0);
	await theirs.context().close();
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('download and delete my data', async ({ page }) => {
		const me = uniqueEmail('nojs-data');
		const t = seedMine(me, uniqueEmail('other'));
		await signInByCode(page, me);
		await page.getByRole('link', { name: 'Your data' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Your data' })).toBeVisible();
		const zip = await download(page);
		expect(unzipText(zip.path, 'data.json')).toContain(t.words);
		await deleteMyData(page);
		expect((await page.goto(t.recipients[0].path))?.status()).toBe(404);
		await page.goto('/tickets/data');
		await expect(page).toHaveURL(/\/tickets\/login$/);
	});
});

test.describe('limits', () => {
	let server: TestServer;
	test.beforeAll(async () => {
		server = await launchServer({
			DATA_EXPORT_LIMIT_PER_HOUR: '1',
			DATA_ERASE_LIMIT_PER_HOUR: '1'
		});
	});
	test.afterAll(async () => server?.stop());

	test('over the hourly limits: 429 with a sentence and Retry-After', async ({ page }) => {
		const base = server.origin;
		const first = uniqueEmail('first');
		const second = uniqueEmail('second');
		seedTicket({ recipients: [{ email: first }] }, server.dataDir);
		const kept = seedTicket({ recipients: [{ email: second }] }, server.dataDir);

		await signInByCode(page, first, { base, dir: server.dataDir });
		await page.goto(`${base}/tickets/data`);
		await download(page);
		const refused = await page.request.get(`${base}/tickets/data/download`);
		expect(refused.status()).toBe(429);
		expect(Number(refused.headers()['retry-after'])).toBeGreaterThan(0);
		expect(await refused.text()).toMatch(/too often in a short time\. Try again in \d+ minutes?\./);
		await deleteMyData(page);

		// The same client again, another person: the erasure limit answers on the page.
		await signInByCode(page, second, { base, dir: server.dataDir });
		await page.goto(`${base}/tickets/data`);
		await page.getByLabel('I understand that my data will be deleted').check();
		await page.getByRole('button', { name: 'Delete my data' }).click();
		await expect(page.getByRole('alert')).toContainText('too often in a short time');
		// Nothing was deleted: the thread link still opens.
		expect((await page.goto(`${base}${kept.recipients[0].path}`))?.status()).toBe(200);
	});
});
