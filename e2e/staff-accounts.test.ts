import { expect, test } from '@playwright/test';
import { expectAccessible } from './fixtures/helpers';
import { inviteAgent, signIn, useStaffServer } from './fixtures/staff';

// Account management: admins disable/enable staff; everyone changes their own password.
test.describe.configure({ mode: 'serial', timeout: 90_000 });

const s = useStaffServer();

test('an admin disables an agent: signed out at once, cannot sign in; enabled again, they can', async ({
	browser
}) => {
	const origin = s.server.origin;
	const agent = await inviteAgent(s, browser, `Dora ${Date.now().toString(36)}`);
	// Agents have no Team screen and no disable action.
	const res = await agent.page.request.post(`${origin}/app/staff?/disable`, {
		headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
		data: 'id=1'
	});
	expect(res.status()).toBe(403);

	const admin = await s.adminPage(browser);
	await admin.goto(`${origin}/app/staff`);
	const me = admin.getByRole('row').filter({ hasText: s.admin.email });
	await expect(me).toContainText('Active (you)');
	await expect(me.getByRole('button')).toHaveCount(0);
	const row = admin.getByRole('row').filter({ hasText: agent.email });
	await row.getByRole('button', { name: `Disable ${agent.name}` }).click();
	await expect(row.getByText('Account disabled and signed out.')).toBeVisible();
	await expect(row.getByText('Disabled', { exact: true })).toBeVisible();
	await expectAccessible(admin);

	// The agent's open session stops working …
	await agent.page.reload();
	await expect(agent.page).toHaveURL(/\/app\/login/);
	// … and signing in is refused like a wrong password.
	await signIn(agent.page, origin, agent.email, agent.password);
	await expect(agent.page.getByRole('alert')).toContainText('do not match');

	await row.getByRole('button', { name: `Enable ${agent.name}` }).click();
	await expect(row.getByText('Account enabled.')).toBeVisible();
	await signIn(agent.page, origin, agent.email, agent.password);
	await expect(agent.page).toHaveURL(`${origin}/app`);

	// Without JavaScript the post loads a new page, where the button has the other action; the
	// answer is still shown beside it.
	const plain = await s.adminPage(browser, { javaScriptEnabled: false });
	await plain.goto(`${origin}/app/staff`);
	const plainRow = plain.getByRole('row').filter({ hasText: agent.email });
	await plainRow.getByRole('button', { name: `Disable ${agent.name}` }).click();
	await expect(plainRow.getByRole('status')).toHaveText('Account disabled and signed out.');
	await expect(plainRow.getByRole('button', { name: `Enable ${agent.name}` })).toBeVisible();
	await plainRow.getByRole('button', { name: `Enable ${agent.name}` }).click();
	await expect(plainRow.getByRole('status')).toHaveText('Account enabled.');
	await plain.context().close();
	await agent.page.context().close();
	await admin.context().close();
});

test('staff change their own password: current one needed, other sessions signed out', async ({
	browser
}) => {
	const origin = s.server.origin;
	const agent = await inviteAgent(s, browser, `Pat ${Date.now().toString(36)}`);
	const other = await (await browser.newContext()).newPage();
	await signIn(other, origin, agent.email, agent.password);
	await expect(other).toHaveURL(`${origin}/app`);

	const page = agent.page;
	await page.getByRole('link', { name: 'Account' }).click();
	await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
	await expectAccessible(page);
	const newPassword = 'a much better passphrase';
	await page.getByLabel('Current password').fill('not my password');
	await page.getByLabel('New password', { exact: true }).fill(newPassword);
	await page.getByLabel('Repeat the new password').fill(newPassword);
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByText('That is not your current password.')).toBeVisible();
	await expect(page.getByLabel('Current password')).toHaveValue('');

	await page.getByLabel('Current password').fill(agent.password);
	await page.getByLabel('New password', { exact: true }).fill(newPassword);
	await page.getByLabel('Repeat the new password').fill('a different passphrase');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByText('The two new passwords differ.')).toBeVisible();

	await page.getByLabel('Current password').fill(agent.password);
	await page.getByLabel('New password', { exact: true }).fill(newPassword);
	await page.getByLabel('Repeat the new password').fill(newPassword);
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(
		page.getByText('Password changed. You were signed out everywhere else.')
	).toBeVisible();

	// This session goes on; the other one is over.
	await page.goto(`${origin}/app`);
	await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
	await other.reload();
	await expect(other).toHaveURL(/\/app\/login/);
	await signIn(other, origin, agent.email, agent.password);
	await expect(other.getByRole('alert')).toContainText('do not match');
	await signIn(other, origin, agent.email, newPassword);
	await expect(other).toHaveURL(`${origin}/app`);
	await other.context().close();
	await page.context().close();
});
