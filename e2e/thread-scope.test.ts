import { expect, test } from '@playwright/test';
import { expectAccessible, uniqueEmail } from './fixtures/helpers';
import { revokeRecipient, seedProject, seedTicket } from './fixtures/threads';

test('a Discord ticket shows the Discord name, never the synthetic address, and no name input', async ({
	page
}) => {
	const synthetic = `${Date.now()}@users.discord.invalid`;
	const { recipients } = seedTicket({
		source: 'discord',
		discordName: 'Ferris the Crab',
		recipients: [{ email: synthetic }, { email: uniqueEmail('cc'), role: 'cc' }],
		messages: [{ by: 0, body: 'Posted from Discord', author: 'Ferris the Crab' }]
	});
	const res = await page.goto(recipients[0].path);
	await expect(page.getByLabel('Replying as')).toHaveValue('Ferris the Crab');
	await expect(page.getByLabel('Replying as')).toHaveAttribute('readonly', '');
	await expect(page.getByLabel(/name/i).and(page.locator('input:not([readonly])'))).toHaveCount(0);
	await expect(page.getByText('Opened by Ferris the Crab')).toBeVisible();
	await expect(page.getByRole('listitem').filter({ hasText: 'Posted from Discord' })).toContainText(
		'Ferris the Crab (you)'
	);
	expect(await res!.text()).not.toContain('discord.invalid');
	const data = await page.request.get(`${recipients[0].path}/__data.json`);
	expect(await data.text()).not.toContain('discord.invalid');

	await page.getByLabel('Message').fill('A reply from the Discord reporter');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(
		page.getByRole('listitem').filter({ hasText: 'A reply from the Discord reporter' })
	).toContainText('Ferris the Crab (you)');
	expect(await page.content()).not.toContain('discord.invalid');
	await expectAccessible(page);

	// A cc recipient of the same ticket sees the reporter by Discord name and keeps a name field.
	await page.goto(recipients[1].path);
	await expect(page.getByText('Opened by Ferris the Crab')).toBeVisible();
	await expect(page.getByLabel('Your name (optional)')).toBeEditable();
	expect(await page.content()).not.toContain('discord.invalid');
});

test('Create new ticket goes to the project of the ticket', async ({ page }) => {
	const key = seedProject('Acme Widgets');
	const { recipients } = seedTicket({ projectKey: key, recipients: [{ email: uniqueEmail() }] });
	await page.goto(recipients[0].path);
	await page.getByRole('link', { name: 'Create new ticket' }).click();
	await expect(page).toHaveURL(new RegExp(`/ticket/${key}$`));
	await expect(page.getByText('Acme Widgets', { exact: true })).toBeVisible();
});

test('no internal id appears in the page, its data, its requests or its responses', async ({
	page
}) => {
	const { ticketId, recipients, messageIds } = seedTicket({
		recipients: [{ email: uniqueEmail() }, { email: uniqueEmail('cc'), role: 'cc' }],
		messages: [
			{ by: 1, body: 'hello' },
			{ by: 'staff', body: 'hi' }
		]
	});
	const ids = [ticketId, ...recipients.map((r) => r.id), ...messageIds].map(String);
	const seen: string[] = [];
	page.on('request', (r) => seen.push(r.url(), r.postData() ?? ''));
	page.on('response', async (r) => {
		try {
			seen.push(r.url(), JSON.stringify(await r.allHeaders()), await r.text());
		} catch {
			/* redirects and aborted bodies */
		}
	});
	await page.clock.install();
	await page.goto(recipients[0].path);
	await page.getByLabel('Message').fill('Checking for leaks');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByRole('status')).toContainText('Reply sent');
	const poll = page.waitForResponse((r) => r.url().includes('/messages?after='));
	await page.clock.runFor(60_000);
	await poll;
	seen.push(
		await page.content(),
		await (await page.request.get(`${recipients[0].path}/__data.json`)).text()
	);
	const all = seen.join('\n');
	expect(all).toContain('Checking for leaks');
	for (const id of ids)
		expect(all, `internal id ${id}`).not.toMatch(new RegExp(`(?<![0-9])${id}(?![0-9])`));
});

test('a revoked link answers 404 to the page, the poll and a reply; only the scoped token works', async ({
	request
}) => {
	const { recipients } = seedTicket({
		recipients: [{ email: uniqueEmail() }, { email: uniqueEmail('cc'), role: 'cc' }],
		messages: [{ by: 0, body: 'first' }]
	});
	const [reporter, cc] = recipients;
	const poll = await request.get(`${cc.path}/messages?after=open.0.`);
	expect(poll.status()).toBe(200);
	expect(poll.headers()['cache-control']).toBe('no-store');
	expect(poll.headers()['referrer-policy']).toBe('no-referrer');
	const { cursor } = await poll.json();
	const unchanged = await request.get(`${cc.path}/messages?after=${cursor}`);
	expect(unchanged.status()).toBe(204);
	expect(unchanged.headers()['cache-control']).toBe('no-store');
	expect(unchanged.headers()['referrer-policy']).toBe('no-referrer');
	expect((await request.get(`${cc.path}/messages?after=42`)).status()).toBe(400);

	revokeRecipient(cc.id);
	expect((await request.get(cc.path)).status()).toBe(404);
	const revokedPoll = await request.get(`${cc.path}/messages?after=${cursor}`);
	expect(revokedPoll.status()).toBe(404);
	expect(revokedPoll.headers()['cache-control']).toBe('no-store');
	const post = await request.post(`${cc.path}?/reply`, {
		headers: { origin: process.env.E2E_ORIGIN!, accept: 'text/html' },
		form: { body: 'should not land' }
	});
	expect(post.status()).toBe(404);
	// The ticket's other link still works, and a made-up token is the same 404.
	expect((await request.get(reporter.path)).status()).toBe(200);
	const made = reporter.path.replace(/\.[a-z2-7]{32}$/, '.' + 'a'.repeat(32));
	expect((await request.get(`${made}/messages?after=${cursor}`)).status()).toBe(404);

	const ok = await request.post(`${reporter.path}?/reply`, {
		headers: {
			origin: process.env.E2E_ORIGIN!,
			accept: 'application/json',
			'x-sveltekit-action': 'true'
		},
		form: { body: 'lands' }
	});
	expect(ok.status()).toBe(200);
	expect(ok.headers()['cache-control']).toBe('no-store');
	expect(ok.headers()['referrer-policy']).toBe('no-referrer');
	expect(await (await request.get(reporter.path)).text()).not.toContain('should not land');
});
