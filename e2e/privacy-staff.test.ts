import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { unzip } from '../src/lib/server/test/unzip';
import { expectAccessible, uniqueEmail } from './fixtures/helpers';
import { inviteAgent, reporterTicket, useStaffServer } from './fixtures/staff';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

// Info level, so the test can read the export and erasure log lines (and find no address in them).
const s = useStaffServer({ LOG_LEVEL: 'info' });

test('an admin exports a person’s data, then erases it after a confirmation naming what goes', async ({
	browser
}) => {
	const origin = s.server.origin;
	const email = uniqueEmail('erase-me');
	const title = `Data request ${Date.now()}`;
	const reporter = await (await browser.newContext()).newPage();
	const threadUrl = await reporterTicket(reporter, origin, email, title);
	await reporter.getByLabel('Message').fill('A reply of mine.');
	await reporter.getByRole('button', { name: 'Send reply' }).click();
	await expect(reporter.getByText('A reply of mine.')).toBeVisible();

	const page = await s.adminPage(browser);
	await page.goto(`${origin}/app`);
	await page.getByRole('link', { name: 'Personal data' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Personal data' })).toBeVisible();
	await expectAccessible(page);

	// Export: a ZIP with the ticket and their message.
	await page.getByLabel('Email address to export').fill(email.toUpperCase());
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download data (ZIP)' }).click()
	]);
	expect(download.suggestedFilename()).toMatch(/^my-data-\d{4}-\d\d-\d\d\.zip$/);
	const zip = unzip(readFileSync((await download.path())!));
	const data = JSON.parse(zip.get('data.json')!.toString('utf8'));
	expect(data.tickets).toHaveLength(1);
	expect(data.tickets[0].title).toBe(title);
	expect(data.tickets[0].conversation).toEqual([
		expect.objectContaining({ from: 'you', body: 'A reply of mine.' })
	]);

	// Erase: the confirmation step names what will go; nothing changes before it is confirmed.
	await page.getByLabel('Email address to erase').fill(email);
	await page.getByRole('button', { name: 'Review erasure' }).click();
	const confirmation = page.getByText(`Erasing ${email} will:`);
	await expect(confirmation).toBeVisible();
	await expect(page.getByText('on 1 ticket and 1 message they wrote')).toBeVisible();
	await expect(page.getByText('delete 0 files they uploaded')).toBeVisible();
	await expectAccessible(page);
	await reporter.reload();
	await expect(reporter.getByRole('heading', { name: title })).toBeVisible();

	const erase = page.getByRole('button', { name: `Erase ${email} permanently` });
	await erase.click();
	// The browser refuses the unticked box; still nothing erased.
	await expect(confirmation).toBeVisible();
	await page.getByLabel('I understand that this cannot be undone').check();
	await erase.click();
	await expect(page.getByRole('status')).toContainText(
		`Erased ${email}: 1 ticket anonymized, 1 message re-attributed, 0 files deleted, 1 link revoked.`
	);

	// Their old link is gone; the staff still have the ticket, without their address.
	const gone = await reporter.goto(threadUrl);
	expect(gone?.status()).toBe(404);
	await page.goto(`${origin}/app?q=${encodeURIComponent(title)}`);
	await page.getByRole('link', { name: title }).click();
	await expect(page.getByText('A reply of mine.')).toBeVisible();
	await expect(page.getByText(email)).toHaveCount(0);
	await expect(page.getByText(/Erased person #/).first()).toBeVisible();

	// Both were logged, without the address.
	const out = s.server.output();
	expect(out).toContain('"msg":"data export"');
	expect(out).toContain('"msg":"data erased"');
	expect(out.toLowerCase()).not.toContain(email.toLowerCase());
	await reporter.context().close();
	await page.context().close();
});

test('agents cannot open the personal data page nor download an export', async ({ browser }) => {
	const { page } = await inviteAgent(s, browser, 'Gus Agent');
	const origin = s.server.origin;
	await expect(page.getByRole('link', { name: 'Personal data' })).toHaveCount(0);
	const res = await page.goto(`${origin}/app/privacy`);
	expect(res?.status()).toBe(403);
	const post = await page.request.post(`${origin}/app/privacy/export`, {
		form: { email: 'someone@example.com' },
		headers: { origin }
	});
	expect(post.status()).toBe(403);
	await page.context().close();
});
