import { expect, test } from '@playwright/test';
import { expectAccessible, linkIn, mailsTo, origin, uniqueEmail } from './fixtures/helpers';

async function openTicket(page: import('@playwright/test').Page, email: string, title: string) {
	await page.goto('/ticket/demo');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Description').fill('The export button does nothing.');
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\/[a-z2-7]{16}\.[a-z2-7]{32}$/);
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

test('a visitor opens a ticket, replies, and finds the same thread through the emailed link', async ({
	page
}) => {
	const email = uniqueEmail();
	const title = `Export broken ${Date.now()}`;
	await openTicket(page, email, title);
	const threadUrl = page.url();
	// Once, right after creating: it arrived, and the private link went to their inbox.
	await expect(page.getByRole('status')).toContainText(
		`Thank you, we received your ticket. We emailed this private link to ${email}`
	);
	await page.reload();
	await expect(page.getByText('we received your ticket')).toHaveCount(0);

	await expect(page.getByLabel('Your email')).toHaveValue(email);
	await page.getByLabel('Message').fill('Any news? It still fails.');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByRole('status')).toContainText('Reply sent');
	await expect(
		page.getByRole('listitem').filter({ hasText: 'Any news? It still fails.' })
	).toBeVisible();
	await expect(page.getByLabel('Message')).toHaveValue('');

	const [mail] = await mailsTo(email);
	expect(mail.subject).toContain(title);
	const link = linkIn(mail, '/ticket/thread/');
	expect(link.startsWith(origin())).toBe(true);
	expect(link).toBe(threadUrl);

	const other = await page.context().newPage();
	await other.goto(link);
	await expect(other.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expect(other.getByText('Any news? It still fails.')).toBeVisible();
});

test('the whole create-and-reply flow works with JavaScript disabled', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	const title = `No JS ${Date.now()}`;
	await openTicket(page, uniqueEmail('nojs'), title);
	await page.getByLabel('Message').fill('Sent without JavaScript');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByText('Sent without JavaScript')).toBeVisible();
	await context.close();
});

test('invalid input re-renders the form with messages and keeps what was typed', async ({
	page
}) => {
	await page.goto('/ticket/demo');
	await page.getByLabel('Email').fill('not-an-email');
	await page.getByLabel('Title').fill('Kept title');
	await page.getByLabel('Description').fill('Kept description');
	// Bypass the browser's own checks to see the server's answer.
	await page.locator('form[action="?/create"]').evaluate((f) => f.setAttribute('novalidate', ''));
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page.getByRole('alert')).toContainText('Please check the highlighted fields');
	await expect(page.getByText('Enter an email address like name@example.com.')).toBeVisible();
	await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Title')).toHaveValue('Kept title');
	await expect(page.getByLabel('Description')).toHaveValue('Kept description');
});

test('unknown projects and tokens get the same friendly not-found page', async ({
	page,
	request
}) => {
	for (const path of [
		'/ticket/no-such-project',
		'/ticket/thread/aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
		'/ticket/thread/garbage'
	]) {
		const res = await page.goto(path);
		expect(res?.status()).toBe(404);
		await expect(page.getByRole('heading', { name: 'This page doesn’t exist' })).toBeVisible();
	}
	const res = await request.get('/ticket/thread/garbage');
	expect(res.headers()['cache-control']).toBe('no-store');
});

test('health check answers with a database round trip and a storage check; ready', async ({
	request
}) => {
	const res = await request.get('/healthz');
	expect(res.status()).toBe(200);
	expect(await res.json()).toEqual({ status: 'ok', database: 'ok', storage: 'ok' });
	const ready = await request.get('/readyz');
	expect(ready.status()).toBe(200);
	expect(await ready.json()).toEqual({ ready: true });
});

test('responses carry the security headers; token pages are private', async ({ page, request }) => {
	const create = await request.get('/ticket/demo');
	const h = create.headers();
	expect(h['x-content-type-options']).toBe('nosniff');
	expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(h['content-security-policy']).toContain("object-src 'none'");
	expect(h['referrer-policy']).toBe('same-origin');

	const asset = await request.get('/favicon.svg');
	expect(asset.headers()['x-content-type-options']).toBe('nosniff');
	expect(asset.headers()['content-security-policy']).toContain("default-src 'self'");

	// An endpoint (no page CSP of its own) and a 404 get the same policy and defaults.
	for (const res of [await request.get('/healthz'), await request.get('/no-such-page')]) {
		const e = res.headers();
		expect(e['x-frame-options']).toBe('DENY');
		expect(e['x-content-type-options']).toBe('nosniff');
		expect(e['content-security-policy']).toContain("frame-ancestors 'none'");
		expect(e['referrer-policy']).toBe('same-origin');
	}

	await openTicket(page, uniqueEmail(), `Headers ${Date.now()}`);
	const thread = await request.get(page.url());
	expect(thread.headers()['cache-control']).toBe('no-store');
	expect(thread.headers()['referrer-policy']).toBe('no-referrer');
	expect(thread.headers()['x-frame-options']).toBe('DENY');
	// The thread's poll: private like its page, with the defaults too.
	const poll = await request.get(`${page.url()}/messages?after=open.0.`);
	expect(poll.headers()['cache-control']).toBe('no-store');
	expect(poll.headers()['referrer-policy']).toBe('no-referrer');
	expect(poll.headers()['x-frame-options']).toBe('DENY');
});

test('cross-origin form posts are refused', async ({ request }) => {
	for (const type of [
		'application/x-www-form-urlencoded',
		'Multipart/Form-Data; boundary=x',
		'text/plain'
	]) {
		const res = await request.post('/ticket/demo', {
			headers: { 'content-type': type, origin: 'https://evil.example', accept: 'text/html' },
			data: 'email=a%40b.co&title=abc&description=x&type=question'
		});
		expect(res.status(), type).toBe(403);
	}
	const noOrigin = await request.post('/ticket/demo', {
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		data: 'email=a%40b.co&title=abc&description=x&type=question'
	});
	expect(noOrigin.status()).toBe(403);
});

test('create and thread pages have no serious accessibility violations', async ({ page }) => {
	await page.goto('/ticket/demo');
	await expectAccessible(page);
	await openTicket(page, uniqueEmail(), `A11y ${Date.now()}`);
	await expectAccessible(page);
});

test('what a visitor types before the page’s scripts have loaded is kept', async ({ page }) => {
	// A slow connection: the form is usable (server-rendered) before hydration finishes.
	await page.route('**/_app/immutable/**', async (route) => {
		await new Promise((r) => setTimeout(r, 1500));
		await route.continue();
	});
	await page.goto('/ticket/demo', { waitUntil: 'commit' });
	await page.getByLabel('Email').fill('early@example.com');
	await page.getByLabel('Title').fill('Typed early');
	await page.getByLabel('Description').fill('Typed before hydration');
	// The demo's "Problem" type is bound to a template with a "Browser and version" field.
	await page.getByLabel('Ticket type').selectOption({ label: 'Problem' });
	// Let the delayed scripts arrive and hydrate the page.
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(500);
	await expect(page.getByLabel('Email')).toHaveValue('early@example.com');
	await expect(page.getByLabel('Title')).toHaveValue('Typed early');
	await expect(page.getByLabel('Description')).toHaveValue('Typed before hydration');
	await expect(page.getByLabel('Ticket type')).toHaveValue('problem');
	await expect(page.getByLabel('Browser and version')).toBeVisible();
});
