import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';
import { expectAccessible, uniqueEmail } from './fixtures/helpers';
import { launchServer, type TestServer } from './fixtures/server';

const png = (colour: string, width = 120, height = 80) =>
	sharp({ create: { width, height, channels: 3, background: colour } })
		.png()
		.toBuffer();
const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'
);
const stored = (dir: string) =>
	existsSync(join(dir, 'attachments')) ? readdirSync(join(dir, 'attachments')) : [];

async function fillTicket(page: Page, base = '') {
	await page.goto(`${base}/ticket/demo`);
	await page.getByLabel('Email').fill(uniqueEmail('files'));
	await page.getByLabel('Title').fill(`Files ${Date.now()}`);
	await page.getByLabel('Description').fill('Screenshots attached.');
}

async function submitTicket(page: Page) {
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\/[a-z2-7]{16}\.[a-z2-7]{32}$/);
}

/** Attachment ids linked from a thread page. */
async function attachmentLinks(page: Page): Promise<string[]> {
	return page
		.locator('a[href*="/attachments/"]')
		.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!));
}

test('two images and a PDF: three previews, one removed, two uploaded and shown in the thread', async ({
	page,
	request
}) => {
	await fillTicket(page);
	await expect(page.getByText('Up to 5 files, 10 MB in total.')).toBeVisible();
	await page.getByLabel('Attach files').setInputFiles([
		{ name: 'red.png', mimeType: 'image/png', buffer: await png('#d22') },
		{ name: 'blue.png', mimeType: 'image/png', buffer: await png('#22d') },
		{ name: 'spec.pdf', mimeType: 'application/pdf', buffer: PDF }
	]);
	const previews = page.getByRole('list', { name: 'Chosen files' }).getByRole('listitem');
	await expect(previews).toHaveCount(3);
	await expect(previews.filter({ hasText: 'red.png' }).locator('img')).toHaveAttribute(
		'src',
		/^blob:/
	);
	await expect(previews.filter({ hasText: 'spec.pdf' })).toContainText('PDF');
	await expect(previews.filter({ hasText: 'spec.pdf' })).toContainText(`${PDF.length} bytes`);
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Remove blue.png' }).click();
	await expect(previews).toHaveCount(2);
	await expect(page.getByLabel('Attach files')).toBeFocused();
	await submitTicket(page);

	const thumb = page.getByRole('img', { name: 'red.png (open full image)' });
	await expect(thumb).toBeVisible();
	// The file name is shown under the picture, not only in its alt text.
	await expect(page.locator('li').filter({ has: thumb })).toHaveText('red.png');
	await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(120);
	await expect(page.getByRole('link', { name: 'spec.pdf' })).toBeVisible();
	await expect(page.getByText('blue.png')).toHaveCount(0);
	expect(await attachmentLinks(page)).toHaveLength(2);
	await expectAccessible(page);

	// Download headers: originals are attachments, only re-encoded images inline; all sandboxed.
	const pdf = await request.get(
		(await page.getByRole('link', { name: 'spec.pdf' }).getAttribute('href'))!
	);
	expect(pdf.status()).toBe(200);
	const h = pdf.headers();
	expect(h['content-type']).toBe('application/pdf');
	expect(h['content-disposition']).toBe(
		`attachment; filename="spec.pdf"; filename*=UTF-8''spec.pdf`
	);
	expect(h['x-content-type-options']).toBe('nosniff');
	expect(h['content-security-policy']).toMatch(/^sandbox/);
	expect(h['cache-control']).toContain('no-store');
	expect(Buffer.from(await pdf.body()).equals(PDF)).toBe(true);

	const shown = await request.get((await thumb.getAttribute('src'))!);
	expect(shown.headers()['content-type']).toBe('image/webp');
	expect(shown.headers()['content-disposition']).toMatch(/^inline; filename="red.webp"/);
	expect(shown.headers()['content-security-policy']).toMatch(/^sandbox/);
	const full = await request.get((await thumb.locator('xpath=..').getAttribute('href'))!);
	expect(full.headers()['content-type']).toBe('image/webp');

	// A reply with a file: it shows under that message; the picker is cleared afterwards.
	await page.getByLabel('Message').fill('Here is the log.');
	await page.getByLabel('Attach files').setInputFiles({
		name: 'log.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from('line 1\nline 2\n')
	});
	await expect(page.getByRole('list', { name: 'Chosen files' }).getByRole('listitem')).toHaveCount(
		1
	);
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByRole('status')).toContainText('Reply sent');
	const bubble = page.getByRole('listitem').filter({ hasText: 'Here is the log.' });
	await expect(bubble.getByRole('link', { name: 'log.txt' })).toBeVisible();
	await expect(page.getByRole('list', { name: 'Chosen files' })).toHaveCount(0);
});

test('an attachment of another ticket, asked for through this link, is the same 404 as a bad token', async ({
	page,
	request
}) => {
	await fillTicket(page);
	await page
		.getByLabel('Attach files')
		.setInputFiles({ name: 'mine.txt', mimeType: 'text/plain', buffer: Buffer.from('mine') });
	await submitTicket(page);
	const [mine] = await attachmentLinks(page);
	const myThread = page.url();

	await fillTicket(page);
	await page
		.getByLabel('Attach files')
		.setInputFiles({ name: 'theirs.txt', mimeType: 'text/plain', buffer: Buffer.from('theirs') });
	await submitTicket(page);
	const [theirs] = await attachmentLinks(page);
	const theirId = theirs.split('/').pop()!;

	expect((await request.get(mine)).status()).toBe(200);
	const cross = await request.get(`${new URL(myThread).pathname}/attachments/${theirId}`);
	const badToken = await request.get(
		`/ticket/thread/aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/attachments/${theirId}`
	);
	expect(cross.status()).toBe(404);
	expect(badToken.status()).toBe(404);
	expect(await cross.text()).toBe(await badToken.text());
	expect(
		(
			await request.get(`${new URL(myThread).pathname}/attachments/${theirId}?variant=display`)
		).status()
	).toBe(404);
	// The staff download route answers only to signed-in staff.
	expect((await request.get(`/app/attachments/${theirId}`)).status()).toBe(404);
});

test('HTML disguised as a PNG is refused, and what was typed is kept', async ({ page }) => {
	await fillTicket(page);
	await page.getByLabel('Attach files').setInputFiles({
		name: 'cat.png',
		mimeType: 'image/png',
		buffer: Buffer.from('<!doctype html><script>alert(1)</script>')
	});
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'cat.png' })).toContainText(
		'is a web page (HTML), which can’t be attached'
	);
	await expect(page.getByLabel('Description')).toHaveValue('Screenshots attached.');
	await expect(page).toHaveURL(/\/ticket\/demo$/);
});

test('uploading works with JavaScript disabled', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await fillTicket(page);
	await page.getByLabel('Attach files').setInputFiles([
		{ name: 'nojs.png', mimeType: 'image/png', buffer: await png('#2a2') },
		{ name: 'nojs.txt', mimeType: 'text/plain', buffer: Buffer.from('plain') }
	]);
	await submitTicket(page);
	await expect(page.getByRole('img', { name: 'nojs.png (open full image)' })).toBeVisible();
	await page.getByLabel('Message').fill('Reply without JS, with a file');
	await page
		.getByLabel('Attach files')
		.setInputFiles({ name: 'reply.txt', mimeType: 'text/plain', buffer: Buffer.from('r') });
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(
		page
			.getByRole('listitem')
			.filter({ hasText: 'Reply without JS, with a file' })
			.getByRole('link', { name: 'reply.txt' })
	).toBeVisible();
	await context.close();
});

test.describe('limits and quotas (own server with low limits)', () => {
	let server: TestServer;
	const KB = 1024;
	test.beforeAll(async () => {
		server = await launchServer({
			PUBLIC_UPLOAD_MAX_BYTES: String(300 * KB),
			PUBLIC_UPLOAD_MAX_FILE_BYTES: String(200 * KB),
			PUBLIC_UPLOAD_MAX_FILES: '2',
			UPLOAD_TOKEN_DAILY_BYTES: String(256 * KB),
			UPLOAD_TOKEN_PER_HOUR: '3'
		});
	});
	test.afterAll(() => server?.stop());

	const blob = (name: string, size: number) => ({
		name,
		mimeType: 'text/plain',
		buffer: Buffer.alloc(size, 'a')
	});

	test('the browser checks the limits before sending anything', async ({ page }) => {
		await fillTicket(page, server.origin);
		await expect(page.getByText('Up to 2 files, 200 KB each, 300 KB in total.')).toBeVisible();
		await page.getByLabel('Attach files').setInputFiles(blob('big.txt', 250 * KB));
		await expect(page.getByRole('alert')).toHaveText(
			'“big.txt” is 250 KB; each file can be at most 200 KB.'
		);
		await page.getByRole('button', { name: 'Submit ticket' }).click();
		await expect(page).toHaveURL(/\/ticket\/demo$/);
		await page.getByRole('button', { name: 'Remove big.txt' }).click();
		await expect(page.getByRole('alert')).toHaveCount(0);

		// Past the browser's check (files set without a change event): the ingress handle's 413
		// arrives as the form's message, and what was typed stays.
		await page.getByLabel('Attach files').evaluate((input: HTMLInputElement) => {
			const dt = new DataTransfer();
			for (const n of ['a', 'b', 'c']) dt.items.add(new File(['x'.repeat(199 * 1024)], `${n}.txt`));
			input.files = dt.files;
		});
		const answer = page.waitForResponse((r) => r.request().method() === 'POST');
		await page.getByRole('button', { name: 'Submit ticket' }).click();
		expect((await answer).status()).toBe(413);
		await expect(page.getByRole('alert')).toHaveText(
			'The files are too large to send: up to 300 KB can be sent at once. Choose smaller or fewer files and try again.'
		);
		await expect(page.getByLabel('Description')).toHaveValue('Screenshots attached.');
		expect(stored(server.dataDir)).toEqual([]);
	});

	test('without JS an oversized file gets the form back with a 413 sentence; nothing is stored', async ({
		browser
	}) => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await fillTicket(page, server.origin);
		await page.getByLabel('Attach files').setInputFiles(blob('big.txt', 250 * KB));
		const answer = page.waitForResponse((r) => r.request().method() === 'POST');
		await page.getByRole('button', { name: 'Submit ticket' }).click();
		expect((await answer).status()).toBe(413);
		await expect(
			page.getByText('“big.txt” is 250 KB; each file can be at most 200 KB.')
		).toBeVisible();
		await expect(page.getByLabel('Description')).toHaveValue('Screenshots attached.');

		// Over the whole-request limit: refused by the ingress handle before any route runs.
		await page
			.getByLabel('Attach files')
			.setInputFiles([blob('a.txt', 199 * KB), blob('b.txt', 199 * KB), blob('c.txt', 199 * KB)]);
		const early = page.waitForResponse((r) => r.request().method() === 'POST');
		await page.getByRole('button', { name: 'Submit ticket' }).click();
		expect((await early).status()).toBe(413);
		await expect(page.getByRole('heading', { name: 'Files too large' })).toBeVisible();
		await expect(page.getByText('up to 300 KB can be sent at once')).toBeVisible();
		expect(stored(server.dataDir)).toEqual([]);
		await context.close();
	});

	test('a chunked body with no Content-Length over the limit gets 413', async () => {
		const result = await postChunked(`${server.origin}/ticket/demo`, server.origin, 900 * KB);
		expect(result.status).toBe(413);
		expect(result.contentLength).toBeUndefined();
		expect(result.body).toContain(
			'The files are too large to send: up to 300 KB can be sent at once.'
		);
		expect(stored(server.dataDir)).toEqual([]);
		// A small chunked body still goes through to the form.
		expect(
			(await postChunked(`${server.origin}/ticket/demo`, server.origin, 1 * KB)).status
		).not.toBe(413);
	});

	test('over the per-link daily quota: a clear refusal with Retry-After, the reply text kept', async ({
		page
	}) => {
		await fillTicket(page, server.origin);
		await submitTicket(page);
		const thread = page.url();
		await page.getByLabel('Message').fill('First file');
		await page.getByLabel('Attach files').setInputFiles(blob('one.txt', 150 * KB));
		await page.getByRole('button', { name: 'Send reply' }).click();
		await expect(page.getByRole('status')).toContainText('Reply sent');

		await page.getByLabel('Message').fill('Second file');
		await page.getByLabel('Attach files').setInputFiles(blob('two.txt', 150 * KB));
		await page.getByRole('button', { name: 'Send reply' }).click();
		await expect(page.getByRole('alert')).toContainText(
			'These files (150 KB) are more than this ticket link may still upload today (106 KB of 256 KB a day left).'
		);
		await expect(page.getByLabel('Message')).toHaveValue('Second file');
		await expect(page.getByText('two.txt')).toHaveCount(1); // the preview only, not the thread

		const res = await post(page.request, `${thread}?/reply`, server.origin, { body: 'Third' }, [
			blob('three.txt', 150 * KB)
		]);
		expect(res.status()).toBe(413);
		expect(Number(res.headers()['retry-after'])).toBeGreaterThan(0);
		expect(stored(server.dataDir).length).toBe(1);

		// Replies with files per link per hour (3 here) are rate limited too: 429.
		const limited = await post(
			page.request,
			`${thread}?/reply`,
			server.origin,
			{ body: 'Fourth' },
			[blob('four.txt', 1 * KB)]
		);
		expect(limited.status()).toBe(429);
		expect(await limited.text()).toContain(
			'This ticket link has sent many files in the last hour.'
		);
		// Text without files still goes through.
		expect(
			(
				await post(page.request, `${thread}?/reply`, server.origin, { body: 'Fifth, no files' }, [])
			).status()
		).toBe(200);
	});

	test('a restart sweeps old files that no row references, and keeps the rest', async () => {
		const dir = join(server.dataDir, 'attachments');
		const kept = stored(server.dataDir);
		const orphan = join(dir, 'orphanorphanorphanorphanor');
		writeFileSync(orphan, 'left by a crash between write and commit');
		// Older than the grace period (UPLOAD_ORPHAN_GRACE_MIN, 60 minutes by default).
		const old = new Date(Date.now() - 61 * 60_000);
		utimesSync(orphan, old, old);
		// A young one may belong to an upload in flight: kept.
		writeFileSync(join(dir, 'youngyoungyoungyoungyoungy'), 'just written');
		await server.restart();
		expect(stored(server.dataDir).sort()).toEqual([...kept, 'youngyoungyoungyoungyoungy'].sort());
	});
});

/** A plain (no-JS style) multipart form post. */
async function post(
	request: APIRequestContext,
	url: string,
	from: string,
	fields: Record<string, string>,
	files: { name: string; mimeType: string; buffer: Buffer }[]
) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	for (const f of files)
		form.append('files', new Blob([new Uint8Array(f.buffer)], { type: f.mimeType }), f.name);
	return request.post(url, {
		multipart: form,
		headers: { origin: from, accept: 'text/html' },
		maxRedirects: 0
	});
}

/** A multipart create post sent with Transfer-Encoding: chunked (no Content-Length). */
function postChunked(
	url: string,
	from: string,
	fileBytes: number
): Promise<{ status: number; body: string; contentLength?: string }> {
	const boundary = '----portal-e2e-boundary';
	const head =
		`--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\nchunked@example.com\r\n` +
		`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`;
	const tail = `\r\n--${boundary}--\r\n`;
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			url,
			{
				method: 'POST',
				headers: {
					'content-type': `multipart/form-data; boundary=${boundary}`,
					origin: from,
					accept: 'text/html',
					'transfer-encoding': 'chunked'
				}
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (d) => (body += d));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						body,
						contentLength: req.getHeader('content-length') as string | undefined
					})
				);
			}
		);
		req.on('error', reject);
		req.write(head);
		const chunk = Buffer.alloc(16 * 1024, 'b');
		for (let sent = 0; sent < fileBytes; sent += chunk.length) req.write(chunk);
		req.end(tail);
	});
}
