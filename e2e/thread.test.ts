import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, uniqueEmail } from './fixtures/helpers';
import { openDb } from './fixtures/data';
import { seedTicket, setHidden, visibilityScript } from './fixtures/threads';

function countPolls(page: Page) {
	const polls: string[] = [];
	page.on('request', (r) => {
		if (/\/ticket\/thread\/[^/]+\/messages\?after=/.test(r.url())) polls.push(r.url());
	});
	return polls;
}

async function reply(page: Page, text: string) {
	await page.getByLabel('Message').fill(text);
	await page.getByRole('button', { name: 'Send reply' }).click();
	// The status may still say "Reply sent" from an earlier reply: wait for this one's message.
	await expect(
		page.getByRole('region', { name: 'Conversation' }).getByText(text, { exact: true })
	).toBeVisible();
	await expect(page.getByRole('status')).toContainText('Reply sent');
}

test('two recipients see their own address; a reply reaches the other within one poll, only while visible', async ({
	browser
}) => {
	const reporterEmail = uniqueEmail('rita');
	const ccEmail = uniqueEmail('carla');
	const { recipients } = seedTicket({
		title: 'Sync keeps failing',
		recipients: [
			{ email: reporterEmail, name: 'Rita' },
			{ email: ccEmail, role: 'cc' }
		],
		messages: Array.from({ length: 6 }, (_, i) => ({
			by: 'staff' as const,
			body: `Earlier answer ${i + 1}\n`.repeat(4)
		}))
	});

	const ctxA = await browser.newContext({ viewport: { width: 390, height: 700 } });
	const carla = await ctxA.newPage();
	await carla.addInitScript(visibilityScript);
	await carla.clock.install();
	const polls = countPolls(carla);
	await carla.goto(recipients[1].path);
	// From here on the page's time only moves when the test moves it.
	await carla.clock.pauseAt(Date.now() + 1000);
	await expect(carla.getByLabel('Your email')).toHaveValue(ccEmail);
	await expect(carla.getByLabel('Your email')).toHaveAttribute('readonly', '');

	const ctxB = await browser.newContext();
	const rita = await ctxB.newPage();
	await rita.goto(recipients[0].path);
	await expect(rita.getByLabel('Your email')).toHaveValue(reporterEmail);
	await expect(rita.getByLabel('Your name (optional)')).toHaveValue('Rita');

	// Carla is half-way through a reply, scrolled down to the form.
	const draft = carla.getByLabel('Message');
	await draft.fill('Half-written thought');
	await draft.scrollIntoViewIfNeeded();
	const topBefore = await draft.evaluate((el) => el.getBoundingClientRect().top);

	await reply(rita, 'First reply from Rita');
	// The minute started when the page loaded, a moment before the clock was paused.
	await carla.clock.runFor(55_000);
	expect(polls).toHaveLength(0);
	await carla.clock.runFor(5_000);
	await expect(carla.getByText('First reply from Rita')).toHaveCount(1);
	expect(polls).toHaveLength(1);
	await expect(draft).toHaveValue('Half-written thought');
	const topAfter = await draft.evaluate((el) => el.getBoundingClientRect().top);
	expect(Math.abs(topAfter - topBefore)).toBeLessThan(2);

	// Hidden tab: no polls at all, however long.
	await setHidden(carla, true);
	await reply(rita, 'Second reply while hidden');
	await carla.clock.runFor(5 * 60_000);
	expect(polls).toHaveLength(1);
	await expect(carla.getByText('Second reply while hidden')).toHaveCount(0);

	// Visible again: one poll at once, without waiting for the next minute.
	await setHidden(carla, false);
	await expect(carla.getByText('Second reply while hidden')).toBeVisible();
	expect(polls).toHaveLength(2);
	await expect(draft).toHaveValue('Half-written thought');

	// Nothing new: the poll answers 204 and the page keeps exactly one copy of each message.
	const next = carla.waitForResponse((r) => r.url().includes('/messages?after='));
	await carla.clock.runFor(60_000);
	expect((await next).status()).toBe(204);
	await expect(carla.getByText('First reply from Rita')).toHaveCount(1);
	await ctxA.close();
	await ctxB.close();
});

test('a 2,000-character URL and a long stack trace wrap inside the bubble at 360 px', async ({
	page
}) => {
	const url = 'https://example.com/' + 'a1b2c3d4e5'.repeat(198);
	expect(url.length).toBeGreaterThanOrEqual(2000);
	const trace =
		'Error: boom\n    at ' + 'VeryLongFunctionName.'.repeat(60) + 'call (file:///srv/app/x.js:1:1)';
	const { recipients } = seedTicket({
		title: 'Token ' + 'x'.repeat(300),
		recipients: [{ email: uniqueEmail() }],
		messages: [
			{ by: 0, body: `See ${url}` },
			{ by: 'staff', body: trace }
		]
	});
	await page.setViewportSize({ width: 360, height: 740 });
	await page.goto(recipients[0].path);
	await expect(page.getByText(url)).toBeVisible();
	const widths = await page.evaluate(() => ({
		doc: document.documentElement.scrollWidth,
		body: document.body.scrollWidth,
		viewport: window.innerWidth
	}));
	expect(widths.viewport).toBe(360);
	expect(widths.doc).toBeLessThanOrEqual(360);
	expect(widths.body).toBeLessThanOrEqual(360);
	const bubble = page.getByRole('listitem').filter({ hasText: 'See https://example.com/' });
	expect((await bubble.boundingBox())!.width).toBeLessThanOrEqual(360);
});

test('the thread shows events oldest first, never internal notes, and reopens on a reply', async ({
	page
}) => {
	const { recipients } = seedTicket({
		status: 'resolved',
		recipients: [{ email: uniqueEmail() }],
		messages: [
			{ by: 0, body: 'My first message' },
			{ by: 'staff', body: 'Staff answer' },
			{ by: 'staff', body: 'INTERNAL-NOTE-SENTINEL', visibility: 'internal' },
			{ by: 'event', event: 'resolved' }
		]
	});
	await page.goto(recipients[0].path);
	await expect(page.getByText('Status: Resolved')).toBeAttached();
	const items = page.getByRole('list').first().getByRole('listitem');
	await expect(items).toHaveText([
		/My first message/,
		/Sam from Support.*Support.*Staff answer/s,
		/Resolved/
	]);
	expect(await page.content()).not.toContain('INTERNAL-NOTE-SENTINEL');
	const time = items.first().locator('time');
	await expect(time).toHaveText('50 minutes ago');
	await expect(time).toHaveAttribute('title', /UTC$/);

	// Before writing, the reporter learns that a reply reopens the resolved ticket.
	await expect(page.getByLabel('Message')).toHaveAccessibleDescription(
		/This ticket is resolved\. .*your reply opens the ticket again\./
	);
	await reply(page, 'It broke again');
	await expect(page.getByRole('status')).toContainText('The ticket is open again.');
	await expect(page.getByText('your reply opens the ticket again')).toHaveCount(0);
	await expect(page.getByText('Status: Open')).toBeAttached();
	await expect(items.nth(3)).toContainText('It broke again');
	await expect(items.nth(4)).toContainText('Reopened');
	await expectAccessible(page);
});

test('Create new ticket opens the create page of the same project', async ({ page }) => {
	const { recipients } = seedTicket({ recipients: [{ email: uniqueEmail() }] });
	await page.goto(recipients[0].path);
	await page.getByRole('link', { name: 'Create new ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/demo$/);
	await expect(page.getByRole('heading', { name: 'Open a ticket' })).toBeVisible();
});

test('the reply flow works with JavaScript disabled', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	const { recipients } = seedTicket({ recipients: [{ email: uniqueEmail('nojs') }] });
	await page.goto(recipients[0].path);
	await page.getByLabel('Your name (optional)').fill('Nora No-Script');
	await page.getByLabel('Message').fill('Replying without scripts');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByRole('status')).toContainText('Reply sent');
	await expect(
		page.getByRole('listitem').filter({ hasText: 'Replying without scripts' })
	).toContainText('Nora No-Script (you)');
	await expect(page.getByLabel('Message')).toHaveValue('');
	await context.close();
});

for (const javaScriptEnabled of [true, false]) {
	test(`an unsubscribed recipient is told on the thread and can turn mail back on (JS ${javaScriptEnabled ? 'on' : 'off'})`, async ({
		browser
	}) => {
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		const { recipients } = seedTicket({ recipients: [{ email: uniqueEmail('unsub') }] });
		const db = openDb();
		const unsubscribedAt = () =>
			(
				db
					.prepare('SELECT unsubscribed_at AS at FROM ticket_recipients WHERE id = ?')
					.get(recipients[0].id) as { at: number | null }
			).at;
		try {
			await page.goto(recipients[0].path);
			await expect(page.getByText('You don’t get emails about this ticket')).toHaveCount(0);
			db.prepare('UPDATE ticket_recipients SET unsubscribed_at = ? WHERE id = ?').run(
				Date.now(),
				recipients[0].id
			);
			await page.goto(recipients[0].path);
			await expect(page.getByText('You don’t get emails about this ticket')).toBeVisible();
			if (javaScriptEnabled) await expectAccessible(page);
			await page.getByLabel('Message').fill('half-written reply');
			await page.getByRole('button', { name: 'Email me about new answers' }).click();
			await expect(page.getByRole('status')).toContainText('Emails are on again');
			expect(unsubscribedAt()).toBeNull();
			if (javaScriptEnabled)
				await expect(page.getByLabel('Message')).toHaveValue('half-written reply');
		} finally {
			db.close();
			await context.close();
		}
	});
}
