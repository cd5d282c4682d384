import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccessible } from './fixtures/helpers';
import { launchServer } from './fixtures/server';

const doc = (title: string, body: string) =>
	`---\ntitle: ${title}\ntopic: Extra\npublic: true\n---\n${body}\n`;

test('the demo docs are prerendered HTML in the build output, drafts are not', () => {
	// One copy per shipped language (served at /doc/… by scripts/start.js, see e2e/i18n-docs).
	for (const lang of ['de', 'fr', 'es'])
		expect(existsSync(`build/prerendered/doc-lang/${lang}/demo/attaching-files.html`)).toBe(true);
	const out = 'build/prerendered/doc-lang/en';
	for (const file of [
		'demo.html',
		'demo/attaching-files.html',
		'demo/writing-a-good-ticket.html',
		'demo/unsubscribing.html'
	]) {
		expect(existsSync(join(out, file)), file).toBe(true);
	}
	expect(readFileSync(join(out, 'demo/attaching-files.html'), 'utf8')).toContain(
		'<h1>Attaching files and screenshots</h1>'
	);
	expect(existsSync(join(out, 'demo/internal-triage-notes.html'))).toBe(false);
});

test('docs read without JavaScript: topics, anchored headings, table, code, image, previous/next, Open a ticket', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/doc/demo');
	await expect(page.getByRole('heading', { level: 1, name: 'Help articles' })).toBeVisible();
	const topics = page.getByRole('heading', { level: 2 });
	await expect(topics).toHaveText([
		'Getting started',
		'Your ticket',
		'Email notifications',
		'Didn’t find an answer?'
	]);
	await expect(page.getByRole('link', { name: /Triage notes/ })).toHaveCount(0);

	await page.getByRole('link', { name: 'Writing a good ticket' }).click();
	await expect(page).toHaveURL(/\/doc\/demo\/writing-a-good-ticket$/);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Writing a good ticket' })
	).toBeVisible();
	await expect(page.locator('script')).toHaveCount(0);
	await expect(page.getByRole('heading', { level: 2, name: /What to include/ })).toHaveAttribute(
		'id',
		'what-to-include'
	);
	await expect(
		page.getByRole('link', { name: 'Link to the section “What to include”' })
	).toHaveAttribute('href', '#what-to-include');
	await expect(
		page.getByRole('navigation', { name: 'On this page' }).getByRole('link')
	).toHaveCount(3);
	await expect(page.getByRole('table')).toContainText('Steps to reproduce');
	await expect(page.locator('pre code.language-text')).toContainText('Error 413');
	const img = page.getByRole('img', { name: /A filled-in ticket form/ });
	await expect(img).toBeVisible();
	await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
	await expect(
		page.getByRole('navigation', { name: 'More in Getting started' }).getByRole('link')
	).toHaveText([/Previous\s*Opening a ticket/, /Next\s*Attaching files and screenshots/]);
	await page.getByRole('link', { name: 'Open a ticket', exact: true }).click();
	await expect(page).toHaveURL(/\/ticket\/demo$/);
	await context.close();
});

test('doc pages are accessible', async ({ page }) => {
	await page.goto('/doc/demo');
	await expectAccessible(page);
	await page.goto('/doc/demo/ticket-statuses');
	await expect(page.getByRole('table')).toContainText('Waiting');
	await expectAccessible(page);
});

test('doc images are served with safe headers; nothing else from the content folder is', async ({
	request
}) => {
	const res = await request.get('/doc/demo/assets/ticket-lifecycle.svg');
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toBe('image/svg+xml');
	expect(res.headers()['x-content-type-options']).toBe('nosniff');
	expect(res.headers()['content-security-policy']).toContain('sandbox');
	for (const path of [
		'/doc/demo/assets/..%2Fattaching-files.md',
		'/doc/demo/assets/_project.yml',
		'/doc/demo/assets/missing.png'
	]) {
		expect((await request.get(path)).status(), path).toBe(404);
	}
});

test('unknown projects and docs answer a friendly 404', async ({ page }) => {
	let res = await page.goto('/doc/no-such-project');
	expect(res?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'No help articles here' })).toBeVisible();
	res = await page.goto('/doc/demo/no-such-article');
	expect(res?.status()).toBe(404);
	await expect(
		page.getByRole('heading', { name: 'This help article doesn’t exist' })
	).toBeVisible();
	await expect(page.getByRole('link', { name: 'All help articles' })).toHaveAttribute(
		'href',
		'/doc/demo'
	);
	res = await page.goto('/doc/demo/internal-triage-notes');
	expect(res?.status()).toBe(404);
});

test('a doc added after the build is rendered on demand and found by suggestions after `docs reindex`', async ({
	page
}) => {
	test.setTimeout(90_000);
	const docsDir = mkdtempSync(join(tmpdir(), 'portal-docs-'));
	cpSync('content/docs', docsDir, { recursive: true });
	writeFileSync(
		join(docsDir, 'demo', 'printer-setup.md'),
		doc('Setting up the office printer', 'Install the **spooler** driver first.')
	);
	mkdirSync(join(docsDir, 'fresh'));
	writeFileSync(join(docsDir, 'fresh', 'welcome.md'), doc('Welcome to Fresh', 'Hello.'));
	const server = await launchServer({ DOCS_DIR: docsDir });
	try {
		await page.goto(`${server.origin}/doc/demo/printer-setup`);
		await expect(
			page.getByRole('heading', { level: 1, name: 'Setting up the office printer' })
		).toBeVisible();
		// A project folder that did not exist at build time: its list is rendered on demand too.
		await page.goto(`${server.origin}/doc/fresh`);
		await expect(page.getByRole('heading', { level: 2, name: 'Extra' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Welcome to Fresh' })).toBeVisible();
		let res = await page.request.get(`${server.origin}/ticket/demo/suggestions?q=spooler`);
		expect((await res.json()).results.map((r: { slug: string }) => r.slug)).toEqual([
			'printer-setup'
		]);

		// Added while running: the page shows at once; suggestions after a reindex.
		writeFileSync(
			join(docsDir, 'demo', 'scanner-setup.md'),
			doc('Scanning documents', 'Calibrate the flatbed scanner.')
		);
		await page.goto(`${server.origin}/doc/demo/scanner-setup`);
		await expect(page.getByRole('heading', { level: 1, name: 'Scanning documents' })).toBeVisible();
		res = await page.request.get(`${server.origin}/ticket/demo/suggestions?q=flatbed`);
		expect((await res.json()).results).toEqual([]);
		const out = execFileSync(process.execPath, ['scripts/portal.js', 'docs', 'reindex'], {
			env: { ...process.env, DOCS_DIR: docsDir, DATA_DIR: server.dataDir, LOG_LEVEL: 'warn' },
			encoding: 'utf8'
		});
		expect(out).toMatch(/Indexed 10 public doc\(s\) of 2 project\(s\)/);
		res = await page.request.get(`${server.origin}/ticket/demo/suggestions?q=flatbed`);
		expect((await res.json()).results.map((r: { slug: string }) => r.slug)).toEqual([
			'scanner-setup'
		]);
	} finally {
		await server.stop();
	}
});
