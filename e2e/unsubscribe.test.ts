import { expect, test, type Page } from '@playwright/test';
import { openDb, randomToken, type Sqlite } from './fixtures/data';
import { expectAccessible, linkIn, mailsTo, readMails, uniqueEmail } from './fixtures/helpers';

// The suite server's database, for adding recipients and checking what changed.
let sqlite: Sqlite | undefined;
const db = () => (sqlite ??= openDb());
test.afterAll(() => sqlite?.close());

const BAD_TOKEN = `${randomToken(16)}.${randomToken(32)}`;

function addRecipient(reporterEmail: string, email: string) {
	const ticket = db()
		.prepare('SELECT id FROM tickets WHERE reporter_email = ?')
		.get(reporterEmail) as { id: number };
	db()
		.prepare(
			"INSERT INTO ticket_recipients (ticket_id, public_id, email, role, created_at) VALUES (?, ?, ?, 'cc', ?)"
		)
		.run(ticket.id, randomToken(16), email, Date.now());
}

const unsubscribedAt = (email: string) =>
	(
		db().prepare('SELECT unsubscribed_at FROM ticket_recipients WHERE email = ?').get(email) as {
			unsubscribed_at: number | null;
		}
	).unsubscribed_at;

async function openTicket(page: Page, email: string) {
	const title = `Unsubscribe ${Date.now()}`;
	await page.goto('/ticket/demo');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Description').fill('Mail test');
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	return { title, threadUrl: page.url() };
}

async function reply(page: Page, threadUrl: string, text: string) {
	await page.goto(threadUrl);
	await page.getByLabel('Message').fill(text);
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByRole('status')).toContainText('Reply sent');
}

async function unsubscribeLinkOf(email: string) {
	const [mail] = await mailsTo(email);
	return linkIn(mail, '/ticket/unsubscribe/');
}

test('the emailed link unsubscribes at once; no more mail to that recipient, the others still get theirs', async ({
	page
}) => {
	const reporter = uniqueEmail('rep');
	const [carol, dave] = [uniqueEmail('carol'), uniqueEmail('dave')];
	const { title, threadUrl } = await openTicket(page, reporter);
	addRecipient(reporter, carol);
	addRecipient(reporter, dave);
	await reply(page, threadUrl, 'First update');
	const [carolMail] = await mailsTo(carol, 1);
	await mailsTo(dave, 1);
	const link = linkIn(carolMail, '/ticket/unsubscribe/');
	// The header points to the same per-recipient URL (one-click POST only announced over https).
	const header = (key: string) =>
		carolMail.headerLines.find((h) => h.key === key)?.line.replace(/\s+/g, ' ');
	expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${link}>`);
	expect(header('list-unsubscribe-post')).toBeUndefined();
	expect(carolMail.text).not.toContain(linkIn((await mailsTo(dave, 1))[0], '/ticket/unsubscribe/'));

	await page.goto(link);
	await expect(page.getByRole('heading', { level: 1, name: 'You’re unsubscribed' })).toBeVisible();
	await expect(page.getByText(`${carol} will get no more emails`)).toBeVisible();
	await expect(page.getByRole('button', { name: 'Resubscribe' })).toBeVisible();
	expect(unsubscribedAt(carol)).not.toBeNull();
	expect(unsubscribedAt(dave)).toBeNull();
	await expectAccessible(page);

	// Carol's thread link keeps working.
	await page.goto(linkIn(carolMail, '/ticket/thread/'));
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

	await reply(page, threadUrl, 'Second update');
	await mailsTo(dave, 2);
	expect((await readMails()).filter((m) => m.toAddress === carol)).toHaveLength(1);

	// Resubscribing turns mail back on.
	await page.goto(link);
	await expect(page.getByRole('heading', { name: 'You’re unsubscribed' })).toBeVisible();
	await page.getByRole('button', { name: 'Resubscribe' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'You’re subscribed again' })
	).toBeVisible();
	await expect(page.getByRole('button', { name: 'Unsubscribe' })).toBeVisible();
	await expectAccessible(page);
	expect(unsubscribedAt(carol)).toBeNull();
	await reply(page, threadUrl, 'Third update');
	await mailsTo(carol, 2);
});

test('a bad token shows what went wrong, and “Try again” retries', async ({ page }) => {
	const posts: string[] = [];
	page.on('request', (r) => {
		if (r.method() === 'POST') posts.push(r.url());
	});
	await page.goto(`/ticket/unsubscribe/${BAD_TOKEN}`);
	await expect(page.getByRole('heading', { level: 1, name: 'That didn’t work' })).toBeVisible();
	await expect(page.getByRole('alert')).toContainText('This unsubscribe link is not valid');
	await expectAccessible(page);
	await expect.poll(() => posts.length).toBe(1);
	await page.getByRole('button', { name: 'Try again' }).click();
	await expect.poll(() => posts.length).toBe(2);
	await expect(page.getByRole('alert')).toContainText('This unsubscribe link is not valid');
	await expect(page.getByRole('button', { name: 'Try again' })).toBeEnabled();
});

test('a network failure shows an error; “Try again” then unsubscribes', async ({ page }) => {
	const email = uniqueEmail();
	await openTicket(page, email);
	const link = await unsubscribeLinkOf(email);
	let failed = 0;
	await page.route(link, async (route) => {
		if (route.request().method() === 'POST' && failed++ === 0)
			return route.abort('internetdisconnected');
		return route.continue();
	});
	await page.goto(link);
	await expect(page.getByRole('alert')).toContainText('couldn’t reach the server');
	expect(unsubscribedAt(email)).toBeNull();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Try again' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'You’re unsubscribed' })).toBeVisible();
	expect(unsubscribedAt(email)).not.toBeNull();
});

test('without JavaScript one button unsubscribes; a bad token offers “Try again”', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	const email = uniqueEmail('nojs');
	await openTicket(page, email);
	await page.goto(await unsubscribeLinkOf(email));
	await expect(
		page.getByRole('heading', { level: 1, name: 'Unsubscribe from ticket emails' })
	).toBeVisible();
	expect(unsubscribedAt(email)).toBeNull();
	await page.getByRole('button', { name: 'Unsubscribe' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'You’re unsubscribed' })).toBeVisible();
	expect(unsubscribedAt(email)).not.toBeNull();
	await page.getByRole('button', { name: 'Resubscribe' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'You’re subscribed again' })
	).toBeVisible();
	expect(unsubscribedAt(email)).toBeNull();

	await page.goto(`/ticket/unsubscribe/${BAD_TOKEN}`);
	await page.getByRole('button', { name: 'Unsubscribe' }).click();
	await expect(page.getByRole('alert')).toContainText('This unsubscribe link is not valid');
	const retry = page.waitForResponse((r) => r.request().method() === 'POST');
	await page.getByRole('button', { name: 'Try again' }).click();
	expect((await retry).status()).toBe(404);
	await expect(page.getByRole('alert')).toContainText('This unsubscribe link is not valid');
	await context.close();
});

test('the pages a browser without JavaScript sees are accessible', async ({ page }) => {
	// axe needs scripts, so keep them on for the test but block the app's own JavaScript.
	await page.route('**/_app/immutable/**/*.js', (route) => route.abort());
	await page.goto(`/ticket/unsubscribe/${BAD_TOKEN}`);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Unsubscribe from ticket emails' })
	).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Unsubscribe' }).click();
	await expect(page.getByRole('alert')).toContainText('This unsubscribe link is not valid');
	await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
	await expectAccessible(page);
});

test('a plain GET changes nothing; the RFC 8058 one-click POST unsubscribes; other cross-origin posts are refused', async ({
	page,
	request
}) => {
	const email = uniqueEmail();
	await openTicket(page, email);
	const link = await unsubscribeLinkOf(email);

	for (const url of [link, `/ticket/unsubscribe/${BAD_TOKEN}`, '/ticket/unsubscribe/garbage']) {
		const res = await request.get(url);
		expect(res.status(), url).toBe(200);
		expect(res.headers()['cache-control']).toBe('no-store');
		expect(res.headers()['referrer-policy']).toBe('no-referrer');
		expect(await res.text()).toContain('Unsubscribe from ticket emails');
	}
	expect(unsubscribedAt(email)).toBeNull();

	// Like a mail provider: no Origin, no cookies, exactly this body.
	const oneClick = (url: string) =>
		fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'List-Unsubscribe=One-Click'
		});
	const first = await oneClick(link);
	expect(first.status).toBe(200);
	expect(first.headers.get('cache-control')).toBe('no-store');
	const at = unsubscribedAt(email);
	expect(at).not.toBeNull();
	expect((await oneClick(link)).status).toBe(200);
	expect(unsubscribedAt(email)).toBe(at);
	expect((await oneClick(new URL(`/ticket/unsubscribe/${BAD_TOKEN}`, link).href)).status).toBe(404);

	// A cross-origin form post with any other body stays refused.
	const forged = await request.post(link, {
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: 'https://evil.example'
		},
		data: 'intent=resubscribe'
	});
	expect(forged.status()).toBe(403);
	expect(unsubscribedAt(email)).toBe(at);
});
