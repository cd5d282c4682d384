import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, linkIn, mailsTo, uniqueEmail } from './fixtures/helpers';
import { startFakeDiscord, type FakeDiscord } from './fixtures/peers';
import { startStaffServer, type StaffServer } from './fixtures/staff';
import { seedTicket } from './fixtures/threads';

// A server of its own: staff toggle project settings here, and Discord sign-in is configured
// against the local fake Discord API.
let staff: StaffServer;
let fake: FakeDiscord;
const origin = () => staff.server.origin;

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	fake = await startFakeDiscord();
	staff = await startStaffServer(browser, {
		DISCORD_APPLICATION_ID: '111111111111111111',
		DISCORD_CLIENT_SECRET: fake.oauth.clientSecret,
		DISCORD_API_BASE: fake.base,
		PORTAL_SIGNIN_LIMIT_PER_EMAIL: '3'
	});
});
test.afterAll(async () => {
	await staff?.server.stop();
	await fake?.close();
});

async function signInByMail(page: Page, email: string) {
	await page.goto(`${origin()}/tickets/login`);
	await page.getByLabel('Email').fill(email);
	await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
	const [mail] = await mailsTo(email, 1, staff.server.dataDir);
	await page.goto(linkIn(mail, '/tickets/login/'));
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(`${origin()}/tickets`);
}

async function saveSetting(page: Page, label: string, on: boolean) {
	await page.goto(`${origin()}/app/projects/demo`);
	await page.getByLabel(label).setChecked(on);
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByText('Project settings saved.')).toBeVisible();
}

test('Sign in with Discord (authorization code + PKCE) shows the tickets that Discord user opened', async ({
	page
}) => {
	const userId = `4${Date.now()}`.slice(0, 18);
	fake.oauth.user = { id: userId, username: 'dora', global_name: 'Dora' };
	const dir = staff.server.dataDir;
	const mine = seedTicket(
		{
			title: 'Opened on Discord',
			source: 'discord',
			recipients: [{ email: `${userId}@users.discord.invalid` }]
		},
		dir
	);
	seedTicket(
		{
			title: 'Someone else on Discord',
			source: 'discord',
			recipients: [{ email: '999999999999@users.discord.invalid' }]
		},
		dir
	);
	seedTicket({ title: 'A mail ticket', recipients: [{ email: uniqueEmail() }] }, dir);

	await page.goto(`${origin()}/tickets/login`);
	await page.getByRole('link', { name: 'Sign in with Discord' }).click();
	await expect(page).toHaveURL(`${origin()}/tickets`);
	await expect(page.getByText('Signed in with Discord')).toBeVisible();
	const list = page.getByRole('list', { name: 'Your tickets' });
	await expect(list.getByRole('link')).toHaveCount(1);
	await expect(page.getByRole('link', { name: 'Opened on Discord' })).toHaveAttribute(
		'href',
		new RegExp(`${mine.recipients[0].path}$`)
	);
	const authorize = fake.requests.find((r) => r.path.startsWith('/oauth2/authorize'));
	expect(authorize).toBeDefined();
	const exchange = fake.requests.find((r) => r.path === '/oauth2/token');
	expect(exchange?.body.code_verifier).toMatch(/^[a-z2-7]{52}$/);
	await expectAccessible(page);

	// A callback this browser did not start is refused, and signs nobody in.
	const stranger = await (await page.context().browser()!.newContext()).newPage();
	const res = await stranger.goto(`${origin()}/tickets/login/discord/callback?code=abc&state=def`);
	expect(res?.status()).toBe(400);
	await stranger.goto(`${origin()}/tickets`);
	await expect(stranger).toHaveURL(`${origin()}/tickets/login`);
});

test('staff turn the portal off for a project: its tickets leave My tickets, and come back', async ({
	page,
	browser
}) => {
	const me = uniqueEmail('toggle');
	seedTicket({ title: 'Demo project ticket', recipients: [{ email: me }] }, staff.server.dataDir);
	await signInByMail(page, me);
	const list = page.getByRole('list', { name: 'Your tickets' });
	await expect(list).toContainText('Demo project ticket');

	const admin = await staff.adminPage(browser);
	await saveSetting(
		admin,
		'Reporters see this project’s tickets under My tickets (/tickets)',
		false
	);
	await page.reload();
	await expect(page.getByText('You are not on any ticket yet.')).toBeVisible();
	await expect(list).toHaveCount(0);

	await saveSetting(
		admin,
		'Reporters see this project’s tickets under My tickets (/tickets)',
		true
	);
	await page.reload();
	await expect(list).toContainText('Demo project ticket');
});

test('staff turn anonymous creation off and on: the public create page follows', async ({
	page,
	browser
}) => {
	const admin = await staff.adminPage(browser);
	const label = 'Anyone may open tickets (off: only with a customer intake link)';
	await saveSetting(admin, label, false);
	await page.goto(`${origin()}/ticket/demo`);
	await expect(
		page.getByRole('heading', { name: 'Tickets here are opened through a customer link' })
	).toBeVisible();
	await expect(page.getByRole('button', { name: 'Submit ticket' })).toHaveCount(0);
	await expectAccessible(page);

	await saveSetting(admin, label, true);
	await page.goto(`${origin()}/ticket/demo`);
	await expect(page.getByRole('button', { name: 'Submit ticket' })).toBeVisible();
	await page.getByLabel('Email').fill(uniqueEmail());
	await page.getByLabel('Title').fill('Open again');
	await page.getByLabel('Description').fill('Anonymous creation is back on.');
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\//);
});

test('sign-in mails are rate limited per address, with the reason and Retry-After, across a restart', async ({
	page
}) => {
	const me = uniqueEmail('limit');
	seedTicket({ recipients: [{ email: me }] }, staff.server.dataDir);
	const ask = async () => {
		await page.goto(`${origin()}/tickets/login`);
		await page.getByLabel('Email').fill(me);
		const [res] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST'),
			page.getByRole('button', { name: 'Email me a sign-in link' }).click()
		]);
		return res;
	};
	for (let i = 0; i < 3; i++) expect((await ask()).status()).toBe(200);
	let refused = await ask();
	expect(refused.status()).toBe(429);
	expect(Number(refused.headers()['retry-after'])).toBeGreaterThan(0);
	await expect(page.getByRole('alert')).toContainText(
		'Several sign-in emails were sent to this address recently. Please try again in'
	);
	await staff.server.restart();
	refused = await ask();
	expect(refused.status()).toBe(429);
	// Exactly the three allowed mails went out.
	await mailsTo(me, 3, staff.server.dataDir);
	await page.waitForTimeout(1000);
	expect((await mailsTo(me, 3, staff.server.dataDir)).length).toBe(3);
});
