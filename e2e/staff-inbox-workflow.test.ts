import { expect, test, type Page } from '@playwright/test';
import { makeProject, withDb } from './fixtures/data';
import { expectAccessible, mailsTo, readMails } from './fixtures/helpers';
import { inviteAgent, useStaffServer } from './fixtures/staff';
import { seedTicket } from './fixtures/threads';

// The staff inbox workflow: assignment and the Mine view, tags, bulk changes (with and without
// JavaScript, all or nothing), keyboard shortcuts, and the assignee's reply mail.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const s = useStaffServer({ OUTBOX_POLL_MS: '300' });
const dir = () => s.server.dataDir;

/** A project of its own with `n` seeded open tickets titled `${prefix} 1…n`; returns its key. */
function seedProject(prefix: string, n: number) {
	const project = withDb((db) => makeProject(db), dir());
	const tickets = Array.from({ length: n }, (_, i) =>
		seedTicket(
			{
				projectKey: project.key,
				title: `${prefix} ${i + 1}`,
				recipients: [{ email: `reporter-${prefix.toLowerCase()}-${i}@example.com` }]
			},
			dir()
		)
	);
	return { key: project.key, tickets };
}

/** The inbox's "25 tickets" line. */
const countLine = (page: Page) =>
	page.getByRole('paragraph').filter({ hasText: /^\s*\d+\s+tickets?\s*(·|$)/ });

test('A assigns a ticket to B: B’s Mine count shows it, and B is mailed the reporter’s reply', async ({
	browser
}) => {
	const origin = s.server.origin;
	const ann = await inviteAgent(s, browser, 'Ann Archer');
	const ben = await inviteAgent(s, browser, 'Ben Baker');
	const { key, tickets } = seedProject('Printer', 1);

	await ben.page.goto(`${origin}/app`);
	await expect(ben.page.getByRole('link', { name: /^Mine/ })).toHaveText(/Mine\s+0/);

	await ann.page.goto(`${origin}/app?project=${key}`);
	await ann.page.getByRole('link', { name: 'Printer 1' }).click();
	await ann.page.getByLabel('Assignee').selectOption({ label: 'Ben Baker' });
	await ann.page.getByRole('button', { name: 'Assign' }).click();
	await expect(ann.page.getByRole('status').filter({ hasText: 'Assigned.' })).toBeVisible();
	await expect(ann.page.getByText('Assigned to Ben Baker by Ann Archer')).toBeVisible();
	await expectAccessible(ann.page);

	await ben.page.reload();
	await expect(ben.page.getByRole('link', { name: /^Mine/ })).toHaveText(/Mine\s+1/);
	await ben.page.getByRole('link', { name: /^Mine/ }).click();
	const row = ben.page.getByRole('listitem').filter({ hasText: 'Printer 1' });
	await expect(row).toContainText('Assigned to Ben Baker');
	await expect(countLine(ben.page)).toHaveText('1 ticket');

	// The reporter replies; the assignee (not watching the project) gets the mail, Ann does not.
	const reporter = await (await browser.newContext()).newPage();
	await reporter.goto(`${origin}${tickets[0].recipients[0].path}`);
	await expect(reporter.getByText('Assigned to')).toHaveCount(0);
	await reporter.getByLabel('Message').fill('Any news about the printer?');
	await reporter.getByRole('button', { name: 'Send reply' }).click();
	await expect(reporter.getByText('Any news about the printer?')).toBeVisible();
	const [mail] = await mailsTo(ben.email, 1, dir());
	expect(mail.subject).toContain('New reply: Printer 1');
	expect(mail.text).toContain('Any news about the printer?');
	expect(mail.text).toContain('assigned to you');
	const toAnn = (await readMails(dir())).filter((m) => m.toAddress === ann.email);
	expect(toAnn).toHaveLength(0);
});

test('keyboard: j/k move through the inbox, Enter opens, r focuses the reply, ? lists the keys', async ({
	browser
}) => {
	const origin = s.server.origin;
	const page = await s.adminPage(browser);
	const { key } = seedProject('Keys', 3);
	await page.goto(`${origin}/app?project=${key}`);
	const links = page.getByRole('list', { name: 'Tickets' }).getByRole('link');
	// Typing in a field never triggers a shortcut.
	await page.getByLabel('Search').fill('');
	await page.getByLabel('Search').press('j');
	await expect(page.getByLabel('Search')).toHaveValue('j');
	await page.getByLabel('Search').fill('');
	await page.getByRole('heading', { name: 'Inbox' }).click();
	await page.keyboard.press('j');
	await expect(links.nth(0)).toBeFocused();
	await page.keyboard.press('j');
	await page.keyboard.press('j');
	await expect(links.nth(2)).toBeFocused();
	await page.keyboard.press('k');
	await expect(links.nth(1)).toBeFocused();
	// A modifier leaves the key alone.
	await page.keyboard.press('Control+j');
	await expect(links.nth(1)).toBeFocused();
	const title = (await links.nth(1).textContent())!.trim();
	await page.keyboard.press('?');
	const dialog = page.getByRole('dialog', { name: 'Shortcuts' });
	await expect(dialog).toBeVisible();
	await expect(dialog).toContainText('Next ticket');
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await links.nth(1).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await page.getByRole('heading', { level: 1 }).click();
	await page.keyboard.press('r');
	await expect(page.getByLabel('Public reply')).toBeFocused();
	await page.keyboard.type('rj?');
	await expect(page.getByLabel('Public reply')).toHaveValue('rj?');
	await expect(page.getByRole('dialog')).toBeHidden();
});

test('bulk with JavaScript: 25 tickets resolved in one action; tags added, filtered, removed', async ({
	browser
}) => {
	const origin = s.server.origin;
	const page = await s.adminPage(browser);
	const { key } = seedProject('Bulk', 25);
	await page.goto(`${origin}/app?project=${key}`);
	await expect(countLine(page)).toHaveText('25 tickets');
	// A click before the page has hydrated is undone by hydration: retry until all 25 are selected.
	await expect(async () => {
		const all = page.getByLabel('Select all on this page');
		if (await all.isChecked()) await all.uncheck();
		await all.check();
		await expect(page.getByRole('checkbox', { name: /^Select Bulk/, checked: true })).toHaveCount(
			25,
			{ timeout: 2000 }
		);
	}).toPass({ timeout: 30_000 });
	await page.getByLabel('Change selected tickets').selectOption({ label: 'Resolved' });
	await page.getByRole('button', { name: 'Review change' }).click();
	await expect(page.getByRole('heading', { name: 'Change 25 tickets?' })).toBeVisible();
	await expect(page.getByText('Set the status to Resolved on:')).toBeVisible();
	await page.getByRole('button', { name: 'Yes, change 25 tickets' }).click();
	await expect(page.getByRole('status').filter({ hasText: '25 tickets changed.' })).toBeVisible();
	await page.goto(`${origin}/app?project=${key}&status=resolved`);
	await expect(countLine(page)).toHaveText('25 tickets');
	await page.goto(`${origin}/app?project=${key}&status=active`);
	await expect(page.getByText('No tickets match.')).toBeVisible();

	// Tag three tickets in bulk, then filter by the tag.
	await page.goto(`${origin}/app?project=${key}`);
	for (const n of [1, 2, 3])
		await page.getByRole('checkbox', { name: `Select Bulk ${n}`, exact: true }).check();
	await page.getByLabel('Change selected tickets').selectOption({ label: 'Add tag…' });
	await page.getByLabel('Tag (to add or remove)').fill('Billing');
	await page.getByRole('button', { name: 'Review change' }).click();
	await expect(page.getByRole('heading', { name: 'Change 3 tickets?' })).toBeVisible();
	await page.getByRole('button', { name: 'Yes, change 3 tickets' }).click();
	await expect(page.getByRole('status').filter({ hasText: '3 tickets changed.' })).toBeVisible();
	await page.goto(`${origin}/app?project=${key}`);
	await page.getByLabel('Tag', { exact: true }).fill('billing');
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(countLine(page)).toHaveText('3 tickets');
	const row = page.getByRole('list', { name: 'Tickets' }).getByRole('listitem').first();
	await expect(row.getByRole('list', { name: 'Tags' })).toHaveText('billing');

	// On the ticket page: remove it from one, add another (suggested from the project's tags).
	await page.getByRole('link', { name: 'Bulk 2', exact: true }).click();
	await page.getByRole('button', { name: 'Remove tag billing' }).click();
	await expect(page.getByText('No tags yet.')).toBeVisible();
	await expect(page.locator('#project-tags option[value="billing"]')).toHaveCount(1);
	await page.getByLabel('Add a tag').fill('VIP');
	await page.getByRole('button', { name: 'Add tag' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Tag “vip” added.' })).toBeVisible();
	await expect(page.getByText('Tag “vip” added by Ada Admin')).toBeVisible();
	await page.goto(`${origin}/app?project=${key}&tag=billing`);
	await expect(countLine(page)).toHaveText('2 tickets');
});

test('bulk without JavaScript: 25 tickets assigned; a disabled assignee changes none and says why', async ({
	browser
}) => {
	const origin = s.server.origin;
	const cy = await inviteAgent(s, browser, 'Cy Cooper');
	await inviteAgent(s, browser, 'Dee Dunn');
	const admin = await s.adminPage(browser);
	const page = await (
		await browser.newContext({
			storageState: await admin.context().storageState(),
			javaScriptEnabled: false
		})
	).newPage();
	const { key } = seedProject('Nojs', 25);
	const review = async (label: string) => {
		await page.getByLabel('Select all on this page').check();
		await page.getByLabel('Change selected tickets').selectOption({ label });
		await page.getByRole('button', { name: 'Review change' }).click();
		await expect(page.getByRole('heading', { name: 'Change 25 tickets?' })).toBeVisible();
	};
	await page.goto(`${origin}/app?project=${key}`);
	await review('Cy Cooper');
	await page.getByRole('button', { name: 'Yes, change 25 tickets' }).click();
	await expect(page.getByRole('status').filter({ hasText: '25 tickets changed.' })).toBeVisible();
	// The filters survived both posts.
	await expect(page.getByLabel('Project')).toHaveValue(key);
	await cy.page.goto(`${origin}/app?project=${key}&view=mine`);
	await expect(countLine(cy.page)).toHaveText('25 tickets');

	// Cancel changes nothing.
	await review('Nobody (unassign)');
	await page.getByRole('link', { name: 'Cancel' }).click();
	await expect(page.getByRole('heading', { name: 'Change 25 tickets?' })).toHaveCount(0);
	await expect(page.getByLabel('Project')).toHaveValue(key);

	// Dee is disabled between the review and the confirmation: none of the 25 changes.
	await review('Dee Dunn');
	const team = await s.adminPage(browser);
	await team.goto(`${origin}/app/staff`);
	await team.getByRole('button', { name: 'Disable Dee Dunn' }).click();
	// The row's button flips once the account is disabled (its message may be refreshed away).
	await expect(team.getByRole('button', { name: 'Enable Dee Dunn' })).toBeVisible();
	await page.getByRole('button', { name: 'Yes, change 25 tickets' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		"Dee Dunn's account is disabled, so they can't be assigned. Nothing was changed."
	);
	await cy.page.reload();
	await expect(countLine(cy.page)).toHaveText('25 tickets');
	// A disabled agent is no longer offered.
	await page.goto(`${origin}/app?project=${key}`);
	await expect(page.getByRole('option', { name: 'Dee Dunn' })).toHaveCount(0);
	await expect(page.getByRole('option', { name: 'Cy Cooper' })).toHaveCount(1);
});
