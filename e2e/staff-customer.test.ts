import { expect, test } from '@playwright/test';
import { expectAccessible, uniqueEmail } from './fixtures/helpers';
import { openTicket, reporterTicket, useStaffServer } from './fixtures/staff';

test.describe.configure({ mode: 'serial', timeout: 90_000 });

const s = useStaffServer();

test('staff link a ticket to a customer and unlink it; the inbox filters by it; the reporter sees nothing', async ({
	browser
}) => {
	const origin = s.server.origin;
	const page = await s.adminPage(browser);
	const customer = `Initech ${Date.now().toString(36)}`;
	await page.goto(`${origin}/app/customers`);
	await page.getByLabel('Customer name').fill(customer);
	await page.getByRole('button', { name: 'Create customer' }).click();
	await expect(page.getByRole('heading', { name: customer })).toBeVisible();
	const customerId = /\/app\/customers\/(\d+)/.exec(page.url())?.[1];
	expect(customerId).toBeTruthy();

	const title = `Customer link ${Date.now()}`;
	const reporter = await (await browser.newContext()).newPage();
	const threadUrl = await reporterTicket(reporter, origin, uniqueEmail(), title);

	await openTicket(page, origin, title);
	const people = page.getByRole('region', { name: 'People' });
	await expect(people.getByRole('definition').filter({ hasText: 'None' })).toBeVisible();
	await page.getByLabel('Link to customer').selectOption({ label: customer });
	await page.getByRole('button', { name: 'Save customer' }).click();
	await expect(page.getByText(`Linked to ${customer}.`)).toBeVisible();
	await expect(people.getByRole('definition').filter({ hasText: customer })).toBeVisible();
	await expect(
		page.getByRole('listitem').filter({ hasText: `Linked to customer ${customer} by Ada Admin` })
	).toContainText('Internal');
	await expectAccessible(page);

	// The inbox's customer filter finds it, with the customer's name on the row.
	await page.goto(`${origin}/app`);
	await page.getByLabel('Customer', { exact: true }).selectOption({ label: customer });
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(new RegExp(`customer=${customerId}`));
	await expect(page.getByText('1 ticket', { exact: true })).toBeVisible();
	await expect(page.getByRole('listitem').filter({ hasText: title })).toContainText(customer);

	await reporter.goto(threadUrl);
	await expect(reporter.getByText(customer)).toHaveCount(0);
	await expect(reporter.getByText('Linked to customer')).toHaveCount(0);

	// Unlinked: gone from the filtered inbox.
	await openTicket(page, origin, title);
	await page.getByLabel('Link to customer').selectOption({ label: 'No customer' });
	await page.getByRole('button', { name: 'Save customer' }).click();
	await expect(page.getByText('No customer linked now.')).toBeVisible();
	await expect(people.getByRole('definition').filter({ hasText: 'None' })).toBeVisible();
	await page.goto(`${origin}/app?customer=${customerId}`);
	await expect(page.getByText('0 tickets', { exact: true })).toBeVisible();
	await reporter.context().close();
	await page.context().close();
});
