import { expect, test } from '@playwright/test';
import { expectAccessible, linkIn, mailsTo, uniqueEmail } from './fixtures/helpers';
import { launchServer } from './fixtures/server';
import {
	fillAccount,
	setupUrlFrom,
	reporterTicket,
	signIn,
	useStaffServer
} from './fixtures/staff';

test.describe.configure({ mode: 'serial', timeout: 90_000 });

const s = useStaffServer();

test('first run: the printed setup link creates the admin, works once, and signs them in', async ({
	browser
}) => {
	const fresh = await launchServer();
	try {
		const url = setupUrlFrom(fresh.output(), fresh.origin);
		const page = await (await browser.newContext()).newPage();
		expect((await page.request.get(`${fresh.origin}/app`, { maxRedirects: 0 })).status()).toBe(303);
		await page.goto(url);
		await expect(page.getByRole('heading', { name: 'Create the admin account' })).toBeVisible();
		await expectAccessible(page);
		await page.getByLabel('Password').fill('too short');
		await page.getByLabel('Email').fill('boss@example.com');
		await page.getByLabel('Name').fill('Boss');
		await page.locator('form').evaluate((f) => f.setAttribute('novalidate', ''));
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
		await page.getByLabel('Password').fill('a much longer password');
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page).toHaveURL(`${fresh.origin}/app`);
		await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
		const cookie = (await page.context().cookies()).find((c) => c.name === 'portal_session');
		expect(cookie?.httpOnly).toBe(true);
		expect(cookie?.sameSite).toBe('Lax');
		// The link is spent.
		expect((await page.request.get(url)).status()).toBe(404);
		await fresh.restart();
		expect(fresh.output()).not.toContain('/setup/');
		await page.close();
	} finally {
		await fresh.stop();
	}
});

test('staff log out and in again; a wrong password is refused', async ({ page }) => {
	const origin = s.server.origin;
	await page.goto(`${origin}/app`);
	await expect(page).toHaveURL(/\/app\/login\?next=%2Fapp$/);
	await expectAccessible(page);
	await signIn(page, origin, s.admin.email, 'not the password');
	await expect(page.getByRole('alert')).toContainText('do not match');
	await page.getByLabel('Password').fill(s.admin.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(`${origin}/app`);
	await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/app\/login$/);
	await page.goto(`${origin}/app`);
	await expect(page).toHaveURL(/\/app\/login/);
});

test('a reporter ticket reaches the inbox; replies, notes, resolve and reopen behave', async ({
	browser
}) => {
	const origin = s.server.origin;
	const email = uniqueEmail();
	const title = `Staff flow ${Date.now()}`;
	const reporter = await (await browser.newContext()).newPage();
	const threadUrl = await reporterTicket(reporter, origin, email, title);

	const page = await s.adminPage(browser);
	await page.goto(`${origin}/app`);
	const row = page.getByRole('listitem').filter({ hasText: title });
	await expect(row).toBeVisible();
	await expect(row.getByText('New activity')).toBeVisible();
	await page.getByLabel('Search').fill(title);
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page.getByText('1 ticket', { exact: true })).toBeVisible();
	await row.getByRole('link', { name: title }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expectAccessible(page);

	await page.getByLabel('Public reply').fill('We are looking into it.');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByText('Reply sent to everyone on the ticket.')).toBeVisible();
	await page.getByLabel('Internal note').fill('Secret: probably the CDN.');
	await page.getByRole('button', { name: 'Add internal note' }).click();
	await expect(page.getByText('Internal note added.')).toBeVisible();
	await expect(
		page
			.getByRole('listitem')
			.filter({ hasText: 'Secret: probably the CDN.' })
			.getByText('Internal note')
	).toBeVisible();

	await reporter.goto(threadUrl);
	await expect(reporter.getByText('We are looking into it.')).toBeVisible();
	await expect(reporter.getByText('Secret: probably the CDN.')).toHaveCount(0);
	const mails = await mailsTo(email, 2, s.server.dataDir);
	const staffMail = mails.find((m) => m.text?.includes('We are looking into it.'));
	expect(staffMail, 'the staff reply is mailed to the reporter').toBeTruthy();
	expect(linkIn(staffMail!, '/ticket/thread/')).toBe(threadUrl);
	expect(mails.some((m) => m.text?.includes('Secret'))).toBe(false);

	await page.getByLabel('Status').selectOption('resolved');
	await page.getByRole('button', { name: 'Change status' }).click();
	await expect(page.getByText('Status changed.')).toBeVisible();
	await reporter.reload();
	await expect(reporter.getByText('Resolved').first()).toBeVisible();
	await reporter.getByLabel('Message').fill('Still broken, sorry.');
	await reporter.getByRole('button', { name: 'Send reply' }).click();
	await expect(reporter.getByRole('status')).toContainText('open again');
	await page.reload();
	await expect(page.getByText('Still broken, sorry.')).toBeVisible();
	await expect(page.getByLabel('Status')).toHaveValue('open');
	await reporter.close();
	await page.context().close();
});

test('a cross-origin form POST to an /app action is refused, signed in or not', async ({
	browser,
	playwright
}) => {
	const origin = s.server.origin;
	const page = await s.adminPage(browser);
	for (const type of [
		'application/x-www-form-urlencoded',
		'multipart/form-data; boundary=x',
		'text/plain'
	]) {
		const res = await page.request.post(`${origin}/app?/watch`, {
			headers: { origin: 'https://evil.example', 'content-type': type },
			data: 'project=demo&watch=true',
			maxRedirects: 0
		});
		expect(res.status(), type).toBe(403);
	}
	// Same origin but no session: 401, nothing done.
	const anon = await playwright.request.newContext();
	const res = await anon.post(`${origin}/app?/watch`, {
		headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
		data: 'project=demo&watch=true',
		maxRedirects: 0
	});
	expect(res.status()).toBe(401);
	await anon.dispose();
	await page.context().close();
});

test('an admin invites an agent by one-time link; the agent cannot reach admin screens', async ({
	browser
}) => {
	const origin = s.server.origin;
	const page = await s.adminPage(browser);
	await page.goto(`${origin}/app/staff`);
	await expectAccessible(page);
	const agentEmail = uniqueEmail('agent');
	await page.getByLabel('Email').fill(agentEmail);
	await page.getByRole('button', { name: 'Create invitation link' }).click();
	const link = await page.getByLabel('Invitation link').inputValue();
	expect(link).toMatch(new RegExp(`^${origin}/setup/[a-z2-7]{32}$`));
	await page.context().close();

	const agent = await (await browser.newContext()).newPage();
	await agent.goto(link);
	await expect(agent.getByRole('heading', { name: 'Create your account' })).toBeVisible();
	await fillAccount(agent, {
		email: agentEmail,
		name: 'Andy Agent',
		password: 'agent password 123'
	});
	await expect(agent).toHaveURL(`${origin}/app`);
	await expect(agent.getByRole('link', { name: 'Projects' })).toHaveCount(0);
	for (const path of ['/app/projects', '/app/customers', '/app/staff', '/app/settings']) {
		const res = await agent.goto(`${origin}${path}`);
		expect(res?.status(), path).toBe(403);
	}
	const res = await agent.request.post(`${origin}/app/customers?/create`, {
		headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
		data: 'name=Sneaky',
		maxRedirects: 0
	});
	expect(res.status()).toBe(403);
	await agent.close();
});
