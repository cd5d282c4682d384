import { expect, test } from '@playwright/test';
import { openDb, type Sqlite } from './fixtures/data';
import { expectAccessible, mailsTo, readMails, uniqueEmail } from './fixtures/helpers';
import { codeFrom, requestSignIn } from './fixtures/portal';
import { seedTicket } from './fixtures/threads';

// The suite server's database, for seeding tickets and checking what the portal stored.
let sqlite: Sqlite | undefined;
const db = () => (sqlite ??= openDb());
test.afterAll(() => sqlite?.close());

const title = (what: string) => `${what} ${Math.random().toString(36).slice(2, 8)}`;

function revoke(recipientId: number) {
	db()
		.prepare('UPDATE ticket_recipients SET revoked_at = ? WHERE id = ?')
		.run(Date.now(), recipientId);
}

test('sign in by link: a GET never signs in, the link works once, and /tickets lists exactly my tickets', async ({
	page,
	browser
}) => {
	const me = uniqueEmail('me');
	const other = uniqueEmail('other');
	const mine = seedTicket({ title: title('Reported by me'), recipients: [{ email: me }] });
	const notified = seedTicket({
		title: title('Only notified'),
		recipients: [{ email: other }, { email: me.toUpperCase() }]
	});
	const foreign = seedTicket({ title: title('Not mine'), recipients: [{ email: other }] });
	const removed = seedTicket({
		title: title('Removed later'),
		recipients: [{ email: other }, { email: me }]
	});
	const names = (t: { ticketId: number }) =>
		(db().prepare('SELECT title FROM tickets WHERE id = ?').get(t.ticketId) as { title: string })
			.title;

	await page.goto('/tickets');
	await expect(page).toHaveURL(/\/tickets\/login$/);
	await expectAccessible(page);
	await requestSignIn(page, me);
	await expectAccessible(page);

	const { link } = await codeFrom(me);
	// What a mail scanner does: GET the link (twice). It must not spend it.
	const scanner = await browser.newContext();
	await (await scanner.newPage()).goto(link);
	await scanner.close();
	await page.goto(link);
	await expect(page.getByRole('heading', { name: 'Sign in to My tickets' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/tickets$/);
	await expect(page.getByRole('heading', { level: 1, name: 'My tickets' })).toBeVisible();

	const list = page.getByRole('list', { name: 'Your tickets' });
	const rows = list.getByRole('link');
	await expect(rows).toHaveCount(3);
	await expect(list).toContainText(names(mine));
	await expect(list).toContainText(names(notified));
	await expect(list).toContainText(names(removed));
	await expect(list).not.toContainText(names(foreign));
	// Each row opens the signed-in person's own link, never the reporter's.
	await expect(page.getByRole('link', { name: names(notified) })).toHaveAttribute(
		'href',
		new RegExp(`${notified.recipients[1].path}$`)
	);
	await expect(page.getByRole('link', { name: names(mine) })).toHaveAttribute(
		'href',
		new RegExp(`${mine.recipients[0].path}$`)
	);
	// Internal ids never reach the page (its HTML carries the page data too).
	const html = await page.content();
	for (const t of [mine, notified, removed])
		for (const id of [t.ticketId, ...t.recipients.map((r) => r.id)])
			expect(html).not.toContain(String(id));
	await expectAccessible(page);

	revoke(removed.recipients[1].id);
	await page.reload();
	await expect(rows).toHaveCount(2);
	await expect(list).not.toContainText(names(removed));

	await page.getByRole('link', { name: names(notified) }).click();
	await expect(page.getByRole('heading', { level: 1, name: names(notified) })).toBeVisible();
	await expect(page.getByRole('link', { name: 'My tickets' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'See all your tickets' })).toHaveCount(0);

	// The link is spent: another browser gets the "no longer works" page with the address kept.
	const late = await (await browser.newContext()).newPage();
	const response = await late.goto(link);
	expect(response?.status()).toBe(404);
	await expect(late.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
	await expect(late.getByLabel('Email')).toHaveValue(me);
	await expectAccessible(late);
	await late.getByRole('button', { name: 'Send a new link' }).click();
	await expect(late.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
	await mailsTo(me, 2);
	await late.context().close();

	// The create page knows who is signed in; signing out there frees the address field.
	await page.goto('/ticket/demo');
	await expect(page.getByLabel('Email')).toHaveValue(me);
	await expect(page.getByLabel('Email')).toHaveAttribute('readonly', '');
	await expect(page.getByText(`Signed in as ${me}`)).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'sign out' }).click();
	await expect(page).toHaveURL(/\/ticket\/demo$/);
	await expect(page.getByLabel('Email')).toBeEditable();
	await expect(page.getByRole('link', { name: 'My tickets' })).toHaveCount(0);
	await page.goto('/tickets');
	await expect(page).toHaveURL(/\/tickets\/login$/);
});

test('an expired link shows a clear page with "Send a new link"', async ({ page }) => {
	const me = uniqueEmail('expired');
	seedTicket({ recipients: [{ email: me }] });
	await requestSignIn(page, me);
	const { link } = await codeFrom(me);
	db()
		.prepare('UPDATE portal_sign_ins SET expires_at = ? WHERE email = ?')
		.run(Date.now() - 1, me);
	await page.goto(link);
	await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
	await expect(page.getByText('Sign-in links work once, for 15 minutes.')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
	await expect(page.getByLabel('Email')).toHaveValue(me);
	await expectAccessible(page);
});

test('sign in by code on another device; five wrong codes lock that code', async ({ page }) => {
	const me = uniqueEmail('code');
	seedTicket({ title: title('Code ticket'), recipients: [{ email: me }] });
	await requestSignIn(page, me);
	const { code } = await codeFrom(me);
	const wrong = code === '000000' ? '999999' : '000000';
	for (let i = 1; i <= 4; i++) {
		await page.getByLabel('Code from the email').fill(wrong);
		await page.getByRole('button', { name: 'Sign in with the code' }).click();
		await expect(page.getByRole('alert')).toContainText(`${5 - i} more tr`);
	}
	await page.getByLabel('Code from the email').fill(wrong);
	await page.getByRole('button', { name: 'Sign in with the code' }).click();
	await expect(page.getByRole('alert')).toContainText('no longer works. Send a new mail');
	// Locked: the right code does nothing now either (the form asks for a new mail).
	await expect(page.getByLabel('Code from the email')).toHaveCount(0);
	await expect(page.getByLabel('Email')).toHaveValue(me);

	await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
	const second = await codeFrom(me, 2);
	expect(second.code).not.toBe('');
	await page.getByLabel('Code from the email').fill(second.code);
	await page.getByRole('button', { name: 'Sign in with the code' }).click();
	await expect(page).toHaveURL(/\/tickets$/);
	await expect(page.getByRole('list', { name: 'Your tickets' })).toContainText('Code ticket');
});

test('unknown and known addresses get the same page; only the known one gets mail', async ({
	page
}) => {
	const known = uniqueEmail('known');
	const unknown = uniqueEmail('unknown');
	seedTicket({ recipients: [{ email: known }] });
	const a = await requestSignIn(page, unknown);
	const unknownId = await page.locator('input[name="signIn"]').inputValue();
	const b = await requestSignIn(page, known);
	expect(a).toBe(b);
	await mailsTo(known);
	// The unknown address's queued mail is dropped by the worker, after the response.
	await expect
		.poll(
			() =>
				(
					db()
						.prepare(
							"SELECT status FROM outbound_emails WHERE kind = 'portal_sign_in' AND payload LIKE ?"
						)
						.get(`%${unknownId}%`) as { status: string } | undefined
				)?.status
		)
		.toBe('cancelled');
	expect((await readMails()).filter((m) => m.toAddress === unknown)).toEqual([]);
});

test('a thread page offers "See all your tickets" with the address prefilled, never in a URL', async ({
	page
}) => {
	const me = uniqueEmail('thread');
	const t = seedTicket({ title: title('Thread start'), recipients: [{ email: me }] });
	const urls: string[] = [];
	page.on('request', (r) => urls.push(r.url()));
	await page.goto(t.recipients[0].path);
	await page.getByRole('button', { name: 'See all your tickets' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'My tickets' })).toBeVisible();
	await expect(page.getByLabel('Email')).toHaveValue(me);
	expect(urls.filter((u) => u.includes(encodeURIComponent(me)) || u.includes(me))).toEqual([]);
	await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
	await mailsTo(me);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('sign in by code, filter, search, page and sign out everywhere', async ({
		page,
		browser
	}) => {
		const me = uniqueEmail('nojs');
		const waiting = seedTicket({
			title: title('Waiting one'),
			status: 'waiting',
			recipients: [{ email: me }]
		});
		const done = seedTicket({
			title: title('Resolved one'),
			status: 'resolved',
			recipients: [{ email: me }]
		});
		for (let i = 0; i < 21; i++)
			seedTicket({ title: `Bulk ${i} nojs`, recipients: [{ email: me }] });
		const name = (t: { ticketId: number }) =>
			(db().prepare('SELECT title FROM tickets WHERE id = ?').get(t.ticketId) as { title: string })
				.title;

		await requestSignIn(page, me);
		const { code, link } = await codeFrom(me);
		await page.getByLabel('Code from the email').fill(code);
		await page.getByRole('button', { name: 'Sign in with the code' }).click();
		await expect(page).toHaveURL(/\/tickets$/);
		const list = page.getByRole('list', { name: 'Your tickets' });
		await expect(list.getByRole('link')).toHaveCount(20);
		await page.getByRole('link', { name: 'Next page' }).click();
		await expect(list.getByRole('link')).toHaveCount(3);
		await page.getByRole('link', { name: 'Previous page' }).click();
		await expect(list.getByRole('link')).toHaveCount(20);

		const filters = page.getByRole('navigation', { name: 'Filter by status' });
		await filters.getByRole('link', { name: 'Waiting for you' }).click();
		await expect(list.getByRole('link')).toHaveCount(1);
		await expect(list).toContainText(name(waiting));
		// "New since you last looked": activity after the last visit of the person's thread page.
		const row = list.getByRole('listitem').filter({ hasText: name(waiting) });
		await expect(row).not.toContainText('New since you last looked');
		db()
			.prepare('UPDATE tickets SET last_activity_at = ? WHERE id = ?')
			.run(Date.now(), waiting.ticketId);
		await page.reload();
		await expect(row).toContainText('New since you last looked');
		await row.getByRole('link').click();
		await expect(page.getByRole('heading', { level: 1, name: name(waiting) })).toBeVisible();
		await page.goto('/tickets?status=waiting');
		await expect(row).not.toContainText('New since you last looked');

		await filters.getByRole('link', { name: 'Resolved' }).click();
		await expect(list.getByRole('link')).toHaveCount(1);
		await expect(list).toContainText(name(done));
		await filters.getByRole('link', { name: 'All' }).click();
		await page.getByLabel('Search titles').fill('bulk 1');
		await page.getByRole('button', { name: 'Search' }).click();
		await expect(list.getByRole('link')).toHaveCount(11);

		// A second device, signed in by the link; "Sign out everywhere" ends both.
		const other = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
		await other.goto(link);
		await expect(other.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
		await requestSignIn(other, me);
		const second = await codeFrom(me, 2);
		await other.goto(second.link);
		await other.getByRole('button', { name: 'Sign in' }).click();
		await expect(other).toHaveURL(/\/tickets$/);
		await page.getByRole('button', { name: 'Sign out everywhere' }).click();
		await expect(page).toHaveURL(/\/tickets\/login$/);
		await other.goto('/tickets');
		await expect(other).toHaveURL(/\/tickets\/login$/);
		await other.context().close();
	});
});
