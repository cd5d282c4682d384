import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { expectAccessible, uniqueEmail } from './fixtures/helpers';
import { openTicket, reporterTicket, useStaffServer } from './fixtures/staff';

// Staff replies and internal notes with files (the staff upload limits; a low per-file limit here
// so the refusal can be tested with a small file).
test.describe.configure({ mode: 'serial', timeout: 90_000 });

const KB = 1024;
const s = useStaffServer({
	STAFF_UPLOAD_MAX_FILE_BYTES: String(300 * KB),
	PUBLIC_UPLOAD_MAX_FILE_BYTES: String(100 * KB)
});

const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'
);
const png = () =>
	sharp({ create: { width: 160, height: 90, channels: 3, background: '#2a7' } })
		.png()
		.toBuffer();
const idOf = (href: string | null) => /\/attachments\/([a-z2-7]{16})/.exec(href ?? '')?.[1] ?? '';

test("a staff reply's image and PDF reach the reporter; an internal note's file never does", async ({
	browser,
	playwright
}) => {
	const origin = s.server.origin;
	const title = `Files from staff ${Date.now()}`;
	const reporter = await (await browser.newContext()).newPage();
	const threadUrl = await reporterTicket(reporter, origin, uniqueEmail(), title);

	const page = await s.adminPage(browser);
	await openTicket(page, origin, title);
	await expect(page.getByText('Up to 10 files, 300 KB each.').first()).toBeVisible();
	await page.getByLabel('Public reply').fill('Here is the fix, with a screenshot.');
	// Above the public per-file limit (100 KB), within the staff one (300 KB).
	const manual = Buffer.concat([PDF, Buffer.alloc(150 * KB, ' ')]);
	await page.getByLabel('Attach files (optional)', { exact: true }).setInputFiles([
		{ name: 'screen.png', mimeType: 'image/png', buffer: await png() },
		{ name: 'manual.pdf', mimeType: 'application/pdf', buffer: manual }
	]);
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByText('Reply sent with 2 files to everyone on the ticket.')).toBeVisible();
	await expect(page.getByLabel('Public reply')).toHaveValue('');
	await expect(page.getByRole('list', { name: 'Chosen files' })).toHaveCount(0);
	const reply = page.getByRole('listitem').filter({ hasText: 'Here is the fix' });
	await expect(reply.getByRole('link', { name: 'screen.png' })).toHaveAttribute(
		'href',
		/^\/app\/attachments\/[a-z2-7]{16}$/
	);
	await expect(reply.getByRole('link', { name: 'manual.pdf' })).toBeVisible();

	await page.getByLabel('Internal note').fill('Customer data dump attached.');
	await page.getByLabel('Attach files to the note').setInputFiles({
		name: 'secret-dump.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from('top secret rows')
	});
	await page.getByRole('button', { name: 'Add internal note' }).click();
	await expect(
		page.getByText('Internal note added with 1 file. Only staff can see it.')
	).toBeVisible();
	const noteLink = page
		.getByRole('listitem')
		.filter({ hasText: 'Customer data dump' })
		.getByRole('link', { name: 'secret-dump.txt' });
	const secretId = idOf(await noteLink.getAttribute('href'));
	expect(secretId).toMatch(/^[a-z2-7]{16}$/);
	// Staff can download it; nobody signed out can.
	expect((await page.request.get(`${origin}/app/attachments/${secretId}`)).status()).toBe(200);
	const anon = await playwright.request.newContext();
	expect((await anon.get(`${origin}/app/attachments/${secretId}`)).status()).toBe(404);
	await anon.dispose();
	await expectAccessible(page);

	// The reporter's thread: the reply with its thumbnail and PDF link; nothing of the note.
	const seen: string[] = [];
	reporter.on('response', async (r) => {
		if (r.url().startsWith(origin)) seen.push(await r.text().catch(() => ''));
	});
	await reporter.goto(threadUrl);
	const bubble = reporter
		.getByRole('listitem')
		.filter({ hasText: 'Here is the fix, with a screenshot.' });
	const thumb = bubble.getByRole('img', { name: 'screen.png (open full image)' });
	await expect(thumb).toBeVisible();
	await expect
		.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth))
		.toBeGreaterThan(0);
	const pdf = bubble.getByRole('link', { name: 'manual.pdf' });
	await expect(pdf).toBeVisible();
	const download = await reporter.request.get(
		new URL((await pdf.getAttribute('href'))!, threadUrl).href
	);
	expect(download.status()).toBe(200);
	expect(download.headers()['content-type']).toBe('application/pdf');
	await expect(reporter.getByText('Customer data dump attached.')).toHaveCount(0);
	await expect(reporter.getByText('secret-dump.txt')).toHaveCount(0);
	const data = await reporter.request.get(`${threadUrl}/__data.json`);
	expect(await data.text()).toContain('manual.pdf');
	seen.push(await data.text());
	expect(seen.join('\n')).not.toContain(secretId);
	expect(seen.join('\n')).not.toContain('secret-dump');
	// The note's file by the reporter's own link: the same 404 as any unknown file.
	expect((await reporter.request.get(`${threadUrl}/attachments/${secretId}`)).status()).toBe(404);
	await reporter.context().close();
	await page.context().close();
});

test('an oversized staff upload is refused with a sentence and the typed reply is kept', async ({
	browser
}) => {
	const origin = s.server.origin;
	const title = `Too big ${Date.now()}`;
	const reporter = await (await browser.newContext()).newPage();
	await reporterTicket(reporter, origin, uniqueEmail(), title);
	await reporter.context().close();

	const page = await s.adminPage(browser);
	await openTicket(page, origin, title);
	await page.getByLabel('Public reply').fill('A reply I do not want to type twice.');
	const files = page.getByLabel('Attach files (optional)', { exact: true });
	await files.setInputFiles({
		name: 'huge.log',
		mimeType: 'text/plain',
		buffer: Buffer.alloc(400 * KB, 'a')
	});
	// The browser says so at once …
	await expect(page.getByRole('alert').filter({ hasText: 'huge.log' })).toContainText(
		'each file can be at most 300 KB'
	);
	// … and the server too, when the browser's check is skipped.
	await page
		.locator('form[action="?/reply"]')
		.evaluate((f: HTMLFormElement) => (f.noValidate = true));
	await files.evaluate((i: HTMLInputElement) => i.setCustomValidity(''));
	const answer = page.waitForResponse((r) => r.request().method() === 'POST');
	await page.getByRole('button', { name: 'Send reply' }).click();
	// An enhanced action answers 200 with the action result; its status is the refusal's.
	expect(await (await answer).json()).toMatchObject({ type: 'failure', status: 413 });
	await expect(page.getByRole('alert').filter({ hasText: 'huge.log' })).toContainText(
		'at most 300 KB'
	);
	await expect(page.getByLabel('Public reply')).toHaveValue('A reply I do not want to type twice.');
	await expect(page.getByText('A reply I do not want to type twice.', { exact: true })).toHaveCount(
		0
	);
	// Without the file it goes through.
	await page.getByRole('button', { name: 'Remove huge.log' }).click();
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByText('Reply sent to everyone on the ticket.')).toBeVisible();
	await expect(
		page.getByRole('listitem').filter({ hasText: 'A reply I do not want to type twice.' })
	).toBeVisible();
	await page.context().close();
});
