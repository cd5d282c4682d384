import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, uniqueEmail } from './fixtures/helpers';
import { useStaffServer } from './fixtures/staff';

// Configuration screens end to end, through the public create page (template fields bound to a
// type, hidden defaults, customer_token prefill).
test.describe.configure({ timeout: 90_000 });

const s = useStaffServer();

async function addField(
	page: Page,
	f: { key: string; label: string; visibility?: string; required?: boolean; defaultValue?: string }
) {
	await page.getByLabel('Field key').fill(f.key);
	await page.getByLabel('Label', { exact: true }).fill(f.label);
	await page.getByLabel('Visibility').selectOption(f.visibility ?? 'public');
	await page.getByLabel('Required').setChecked(!!f.required);
	await page.getByLabel('Default value').fill(f.defaultValue ?? '');
	await page.getByRole('button', { name: 'Save field' }).click();
}

test('a template with a hidden default bound to a type: public fields only on the page, the default stored', async ({
	browser
}) => {
	const origin = s.server.origin;
	const key = `cfg${Date.now().toString(36)}`;
	const page = await s.adminPage(browser);
	await page.goto(`${origin}/app/projects`);
	await expectAccessible(page);
	await page.getByLabel('Key').fill(key);
	await page.getByLabel('Name').fill('Config Project');
	await page.getByRole('button', { name: 'Create project' }).click();
	await expect(page).toHaveURL(`${origin}/app/projects/${key}`);
	await expectAccessible(page);

	await page.getByLabel('Type key').fill('outage');
	await page.getByLabel('Type name').fill('Outage');
	await page.getByRole('button', { name: 'Add type' }).click();
	await expect(page.getByText('Type Outage added.')).toBeVisible();

	await page.getByLabel('Template name').fill('Outage report');
	await page.getByRole('button', { name: 'Create template' }).click();
	await expect(page.getByRole('heading', { name: 'Template: Outage report' })).toBeVisible();
	await expectAccessible(page);

	// A hidden required field without a default is refused with a reason.
	await addField(page, { key: 'queue', label: 'Queue', visibility: 'hidden', required: true });
	await expect(page.getByText('needs a default')).toBeVisible();
	await addField(page, {
		key: 'queue',
		label: 'Queue',
		visibility: 'hidden',
		required: true,
		defaultValue: 'ops-l2'
	});
	await expect(page.getByText('Field “Queue” saved.')).toBeVisible();
	await addField(page, { key: 'region', label: 'Region', required: true });
	await expect(page.getByText('Field “Region” saved.')).toBeVisible();
	await expect(page.getByRole('row').filter({ hasText: 'Queue' })).toContainText('hidden');

	await page.goto(`${origin}/app/projects/${key}`);
	await page.getByLabel('Ticket type', { exact: true }).selectOption({ label: 'Outage' });
	await page.getByLabel('Template', { exact: true }).selectOption({ label: 'Outage report' });
	await page.getByRole('button', { name: 'Bind template' }).click();
	await expect(
		page.getByRole('listitem').filter({ hasText: 'Outage → Outage report' })
	).toBeVisible();

	// The public page: the bound template's public field only; the hidden default never sent.
	const visitor = await (await browser.newContext()).newPage();
	const responses: string[] = [];
	visitor.on('response', async (r) => {
		if (r.url().startsWith(origin)) responses.push(await r.text().catch(() => ''));
	});
	await visitor.goto(`${origin}/ticket/${key}`);
	await visitor.getByLabel('Ticket type').selectOption({ label: 'Outage' });
	await expect(visitor.getByLabel('Region')).toBeVisible();
	await expect(visitor.getByLabel('Queue')).toHaveCount(0);
	const title = `Outage ${Date.now()}`;
	await visitor.getByLabel('Email').fill(uniqueEmail());
	await visitor.getByLabel('Title').fill(title);
	await visitor.getByLabel('Description').fill('Everything is down.');
	await visitor.getByLabel('Region').fill('eu-west');
	await visitor.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(visitor).toHaveURL(/\/ticket\/thread\//);
	expect(responses.join('\n')).not.toContain('ops-l2');

	await page.goto(`${origin}/app`);
	await page.getByRole('link', { name: title }).click();
	const fields = page.getByRole('region', { name: 'Fields' });
	await expect(fields).toContainText('Region');
	await expect(fields).toContainText('eu-west');
	await expect(fields).toContainText('ops-l2');
	await page.context().close();
	await visitor.context().close();
});

test('an intake link prefills the customer until it is revoked; its token is shown once', async ({
	browser
}) => {
	const origin = s.server.origin;
	const page = await s.adminPage(browser);
	const customer = `Acme ${Date.now().toString(36)}`;
	await page.goto(`${origin}/app/customers`);
	await expectAccessible(page);
	await page.getByLabel('Customer name').fill(customer);
	await page.getByRole('button', { name: 'Create customer' }).click();
	await expect(page.getByRole('heading', { name: customer })).toBeVisible();
	await page.getByLabel('Project').selectOption({ label: 'Demo Project' });
	await page.getByLabel('Valid for (days)').fill('7');
	await page.getByRole('button', { name: 'Generate intake link' }).click();
	const url = await page.getByLabel('Intake link', { exact: true }).inputValue();
	expect(url).toMatch(new RegExp(`^${origin}/ticket/demo\\?customer_token=[a-z2-7]{32}$`));
	await expectAccessible(page);
	// Listed without the token, and not shown again after a reload.
	await page.reload();
	await expect(page.getByLabel('Intake link', { exact: true })).toHaveCount(0);
	expect(await page.content()).not.toContain(url.split('=')[1]);
	await expect(page.getByRole('listitem').filter({ hasText: 'Demo Project' })).toContainText(
		'valid until'
	);

	const visitor = await (await browser.newContext()).newPage();
	await visitor.goto(url);
	await expect(visitor.getByText(customer)).toBeVisible();
	const title = `Intake ${Date.now()}`;
	await visitor.getByLabel('Email').fill(uniqueEmail());
	await visitor.getByLabel('Title').fill(title);
	await visitor.getByLabel('Description').fill('Opened through the intake link.');
	await visitor.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(visitor).toHaveURL(/\/ticket\/thread\//);
	await page.goto(`${origin}/app`);
	await page.getByRole('link', { name: title }).click();
	// The People box's customer entry (its "Link to customer" list names every customer).
	await expect(
		page
			.getByRole('region', { name: 'People' })
			.getByRole('definition')
			.filter({ hasText: customer })
	).toBeVisible();

	await page.goto(`${origin}/app/customers`);
	await page.getByRole('link', { name: customer }).click();
	await page.getByRole('button', { name: 'Revoke link' }).click();
	await expect(page.getByRole('listitem').filter({ hasText: 'Demo Project' })).toContainText(
		'revoked'
	);
	await visitor.goto(url);
	await expect(visitor.getByText(customer)).toHaveCount(0);
	await page.context().close();
	await visitor.context().close();
});

test('settings show the limits read-only and the outbox with the mail sent so far', async ({
	browser
}) => {
	const page = await s.adminPage(browser);
	await page.goto(`${s.server.origin}/ticket/demo`);
	await page.getByLabel('Email').fill(uniqueEmail());
	await page.getByLabel('Title').fill('Mail for the outbox');
	await page.getByLabel('Description').fill('So that something was sent.');
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\//);
	await page.goto(`${s.server.origin}/app/settings`);
	await expect(page.getByRole('cell', { name: 'loginPerEmail' })).toBeVisible();
	await expect(page.getByRole('cell', { name: 'ticket_created' }).first()).toBeVisible();
	await expectAccessible(page);
	await page.context().close();
});
