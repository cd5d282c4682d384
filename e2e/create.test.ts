import { expect, test, type Page } from '@playwright/test';
import {
	bindTemplate,
	enforceTemplate,
	makeIntakeLink,
	makeProject,
	makeTemplate,
	openDb,
	ticketByTitle
} from './fixtures/data';
import { expectAccessible, mailsTo, origin, readMails, uniqueEmail } from './fixtures/helpers';

// axe runs four times per check (light/dark × 390/1280 px) on shared CPUs.
test.describe.configure({ timeout: 90_000 });

const db = openDb();
test.afterAll(() => db.close());

/** A hand-made form POST, as a script (not a browser) would send it. */
function post(path: string, body: [string, string][], accept = 'text/html') {
	return fetch(origin() + path, {
		method: 'POST',
		body: new URLSearchParams(body),
		headers: { origin: origin(), accept },
		redirect: 'manual'
	});
}

async function fillBasics(page: Page, email: string, title: string) {
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Description').fill('Something does not work.');
}

test('changing the type swaps the template fields at once; the selector is locked or hidden', async ({
	page
}) => {
	await page.goto('/ticket/demo');
	await expect(page.getByLabel('Ticket type')).toHaveValue('question');
	await expect(page.getByLabel('Template')).toHaveCount(0);
	await expect(page.getByLabel('Browser and version')).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Update form for this type' })).toHaveCount(0);

	await page.getByLabel('Ticket type').selectOption('Problem');
	await expect(page.getByLabel('Browser and version')).toBeVisible();
	await expect(page.getByLabel('How bad is it?')).toBeVisible();
	await expect(page.getByLabel('Steps to reproduce')).toBeVisible();
	await expect(page.getByLabel('Template')).toBeDisabled();
	await expect(page.getByLabel('Template')).toContainText('Problem report');
	await expect(page.getByText('Set by the ticket type you chose.')).toBeVisible();
	await expectAccessible(page);

	await page.getByLabel('Ticket type').selectOption('Billing');
	await expect(page.getByLabel('Browser and version')).toHaveCount(0);
	await expect(page.getByLabel('Template')).toHaveCount(0);
});

test('an enforced template is locked for every type; selectable templates can be picked', async ({
	page
}) => {
	const enforced = makeProject(db);
	enforceTemplate(
		db,
		enforced.id,
		makeTemplate(db, enforced.id, 'Contract form', [
			{ key: 'contract', label: 'Contract number', required: true }
		])
	);
	await page.goto(`/ticket/${enforced.key}`);
	await expect(page.getByLabel('Template')).toBeDisabled();
	await expect(page.getByLabel('Template')).toContainText('Contract form');
	await expect(page.getByText('This project always uses this template.')).toBeVisible();
	await page.getByLabel('Ticket type').selectOption('Feature request');
	await expect(page.getByLabel('Contract number')).toBeVisible();

	const choice = makeProject(db);
	makeTemplate(
		db,
		choice.id,
		'Hardware',
		[{ key: 'serial', label: 'Serial number', required: true }],
		{ selectable: true }
	);
	bindTemplate(
		db,
		choice.id,
		makeTemplate(db, choice.id, 'Software', [{ key: 'version', label: 'App version' }]),
		null
	);
	await page.goto(`/ticket/${choice.key}`);
	await expect(page.getByLabel('Template')).toBeEnabled();
	await expect(page.getByLabel('Template')).toHaveValue('');
	await expect(page.getByLabel('Serial number')).toHaveCount(0);
	await page.getByLabel('Template').selectOption('Hardware');
	await expect(page.getByLabel('Serial number')).toBeVisible();
	await page.getByLabel('Template').selectOption('Software');
	await expect(page.getByLabel('Serial number')).toHaveCount(0);
	await expectAccessible(page);

	const title = `Picked template ${Date.now()}`;
	await fillBasics(page, uniqueEmail('choice'), title);
	await page.getByLabel('App version').fill('4.2.1');
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\//);
	expect(JSON.parse(ticketByTitle(db, title)!.custom_fields)).toEqual({ version: '4.2.1' });
});

test('a missing required custom field shows the error state; both actions work and the input is kept', async ({
	page
}) => {
	await page.goto('/');
	await page.goto('/ticket/demo');
	await fillBasics(page, uniqueEmail('err'), 'Kept title');
	await page.getByLabel('Ticket type').selectOption('Problem');
	await page.getByLabel('How bad is it?').selectOption('It slows me down');
	await page.getByLabel('Steps to reproduce').fill('Kept steps');
	await page.locator('form[action="?/create"]').evaluate((f) => f.setAttribute('novalidate', ''));
	await page.getByRole('button', { name: 'Submit ticket' }).click();

	const alert = page.getByRole('alert');
	await expect(alert).toContainText('Please check the highlighted fields');
	await expect(alert).toBeFocused();
	await expect(page.getByText('Fill in “Browser and version”.')).toBeVisible();
	await expect(page.getByLabel('Browser and version')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Title')).toHaveValue('Kept title');
	await expect(page.getByLabel('Steps to reproduce')).toHaveValue('Kept steps');
	await expect(page.getByLabel('How bad is it?')).toHaveValue('major');
	await expect(page.getByLabel('Ticket type')).toHaveValue('problem');
	await expectAccessible(page);

	await alert.getByRole('link', { name: 'Back to form' }).click();
	await expect(page.getByLabel('Browser and version')).toBeFocused();
	await alert.getByRole('link', { name: 'Go back' }).click();
	await expect(page).toHaveURL(`${origin()}/`);
});

test('hidden and read-only fields and their defaults never reach the browser, and the server applies them', async () => {
	const p = makeProject(db);
	const t = makeTemplate(db, p.id, 'Sentinel form', [
		{ key: 'part', label: 'Affected part', required: true },
		{
			key: 'zzhiddenkeyq',
			label: 'Zz hidden label',
			visibility: 'hidden',
			required: true,
			default: 'ZZ-HIDDEN-DEFAULT-93'
		},
		{
			key: 'zzreadonlykeyq',
			label: 'Zz readonly label',
			visibility: 'readonly',
			default: 'ZZ-RO-DEFAULT-57'
		}
	]);
	bindTemplate(db, p.id, t, 'problem');
	db.prepare(
		"UPDATE projects SET default_ticket_type_id = (SELECT id FROM ticket_types WHERE key = 'problem' AND project_id IS NULL) WHERE id = ?"
	).run(p.id);
	const sentinels = [
		'zzhiddenkeyq',
		'ZZ-HIDDEN-DEFAULT-93',
		'Zz hidden label',
		'zzreadonlykeyq',
		'ZZ-RO-DEFAULT-57',
		'Zz readonly label',
		'ZZ-POSTED'
	];

	const email = uniqueEmail('leak');
	const typed: [string, string][] = [
		['email', email],
		['type', 'problem'],
		['description', 'd'],
		['cf_zzhiddenkeyq', 'ZZ-POSTED-1'],
		['cf_zzreadonlykeyq', 'ZZ-POSTED-2']
	];
	const responses = [
		await fetch(`${origin()}/ticket/${p.key}`),
		await fetch(`${origin()}/ticket/${p.key}/__data.json`),
		await post(`/ticket/${p.key}?/create`, typed), // invalid: no title, no part
		await post(`/ticket/${p.key}?/create`, typed, 'application/json'),
		await post(`/ticket/${p.key}?/retype`, typed)
	];
	const bodies = await Promise.all(responses.map((r) => r.text()));
	expect(bodies[0]).toContain('Affected part');
	expect(bodies[1]).toContain('Affected part');
	expect(responses[2].status).toBe(400);
	for (const body of bodies) for (const s of sentinels) expect(body).not.toContain(s);

	for (const path of ['/ticket/demo', '/ticket/demo/__data.json']) {
		const body = await (await fetch(origin() + path)).text();
		expect(body).toContain('Browser and version');
		for (const s of ['triage-l1', 'Triage queue', 'SLA tier']) expect(body).not.toContain(s);
		if (path.endsWith('.json')) expect(body).not.toContain('"standard"');
	}

	const title = `Hidden defaults ${Date.now()}`;
	const ok = await post(`/ticket/${p.key}?/create`, [
		...typed,
		['title', title],
		['cf_part', 'Printer']
	]);
	expect(ok.status).toBe(303);
	const ticket = ticketByTitle(db, title)!;
	expect(JSON.parse(ticket.custom_fields)).toEqual({
		part: 'Printer',
		zzhiddenkeyq: 'ZZ-HIDDEN-DEFAULT-93',
		zzreadonlykeyq: 'ZZ-RO-DEFAULT-57'
	});
	expect(JSON.parse(ticket.custom_fields_schema)).toContainEqual(
		expect.objectContaining({ key: 'zzhiddenkeyq', visibility: 'hidden' })
	);
	const thread = await (await fetch(origin() + ok.headers.get('location'))).text();
	for (const s of sentinels) expect(thread).not.toContain(s);
});

test('an intake link names the customer and links the ticket; other projects’, expired and revoked links grant nothing', async ({
	page
}) => {
	const p = makeProject(db);
	const other = makeProject(db);
	const acme = `Acme ${Date.now()}`;
	const token = makeIntakeLink(db, p.id, acme);
	await page.goto(`/ticket/${p.key}?customer_token=${token}`);
	await expect(page.getByText(`This ticket will be opened for ${acme}.`)).toBeVisible();
	await expectAccessible(page);
	const title = `For Acme ${Date.now()}`;
	await fillBasics(page, uniqueEmail('intake'), title);
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\//);
	expect(ticketByTitle(db, title)!.customer_name).toBe(acme);

	const foreign = makeIntakeLink(db, other.id, `Globex ${Date.now()}`);
	const expired = makeIntakeLink(db, p.id, 'Expired Inc', { expiresAt: Date.now() - 1000 });
	const revoked = makeIntakeLink(db, p.id, 'Revoked Ltd', { revoked: true });
	for (const t of [foreign, expired, revoked]) {
		await page.goto(`/ticket/${p.key}?customer_token=${t}`);
		await expect(page.getByText('This customer link can’t be used here')).toBeVisible();
		await expect(page.getByText('This ticket will be opened for')).toHaveCount(0);
		await expect(page.getByRole('button', { name: 'Submit ticket' })).toBeVisible();
	}
	await expectAccessible(page);
	const crossTitle = `Cross project ${Date.now()}`;
	await fillBasics(page, uniqueEmail('cross'), crossTitle);
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\//);
	expect(ticketByTitle(db, crossTitle)!.customer_id).toBeNull();

	// The token posted in the body (a script) for the wrong project grants nothing either.
	const scripted = `Scripted cross ${Date.now()}`;
	const res = await post(`/ticket/${p.key}?/create`, [
		['email', uniqueEmail('x')],
		['title', scripted],
		['description', 'd'],
		['type', 'question'],
		['customer_token', foreign]
	]);
	expect(res.status).toBe(303);
	expect(ticketByTitle(db, scripted)!.customer_id).toBeNull();
});

test('with anonymous creation off the page explains how to get a link and stores nothing without one', async ({
	page
}) => {
	const p = makeProject(db, { name: 'Closed Co', anonymous: false });
	await page.goto(`/ticket/${p.key}`);
	await expect(
		page.getByRole('heading', { name: 'Tickets here are opened through a customer link' })
	).toBeVisible();
	await expect(page.getByText('Ask your contact at Closed Co')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Submit ticket' })).toHaveCount(0);
	await expectAccessible(page);

	const title = `Closed attempt ${Date.now()}`;
	const res = await post(`/ticket/${p.key}?/create`, [
		['email', uniqueEmail('closed')],
		['title', title],
		['description', 'd'],
		['type', 'question']
	]);
	expect(res.status).toBe(403);
	expect(ticketByTitle(db, title)).toBeUndefined();

	const token = makeIntakeLink(db, p.id, 'Welcome GmbH');
	await page.goto(`/ticket/${p.key}?customer_token=${token}`);
	await expect(page.getByText('This ticket will be opened for Welcome GmbH.')).toBeVisible();
	const linked = `Closed but linked ${Date.now()}`;
	await fillBasics(page, uniqueEmail('closed-ok'), linked);
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\//);
	expect(ticketByTitle(db, linked)!.customer_name).toBe('Welcome GmbH');
});

test('extra recipients sent by a script are ignored and a filled honeypot stores and sends nothing', async () => {
	const reporter = uniqueEmail('only');
	const cc = uniqueEmail('cc');
	const title = `Extra recipients ${Date.now()}`;
	const res = await post('/ticket/demo?/create', [
		['email', reporter],
		['title', title],
		['description', 'd'],
		['type', 'question'],
		['cc', cc],
		['recipients', cc],
		['recipients[]', cc],
		['recipient_email', cc],
		['extra_recipients', cc]
	]);
	expect(res.status).toBe(303);
	expect(ticketByTitle(db, title)!.recipients).toEqual([{ email: reporter, role: 'reporter' }]);

	const bot = uniqueEmail('bot');
	const botTitle = `Honeypot ${Date.now()}`;
	const trap = await post('/ticket/demo?/create', [
		['email', bot],
		['title', botTitle],
		['description', 'd'],
		['type', 'question'],
		['website', 'http://spam.example']
	]);
	expect(trap.status).toBe(200);
	expect(await trap.text()).toContain('we received your ticket');
	expect(ticketByTitle(db, botTitle)).toBeUndefined();

	// Mail goes out in order: once the later reporter's mail exists, a mail to the bot would too.
	const after = uniqueEmail('after');
	expect(
		(
			await post('/ticket/demo?/create', [
				['email', after],
				['title', `After ${Date.now()}`],
				['description', 'd'],
				['type', 'question']
			])
		).status
	).toBe(303);
	await mailsTo(after);
	await mailsTo(reporter);
	const all = await readMails();
	expect(
		all.filter((m) => m.toAddress === cc.toLowerCase() || m.toAddress === bot.toLowerCase())
	).toEqual([]);
});

test('with JavaScript disabled the whole create flow works: type change, error state, customer link', async ({
	browser
}) => {
	const p = makeProject(db);
	bindTemplate(
		db,
		p.id,
		makeTemplate(db, p.id, 'Order issue', [
			{ key: 'order', label: 'Order number', required: true }
		]),
		'problem'
	);
	const token = makeIntakeLink(db, p.id, 'Initech');
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto(`/ticket/${p.key}?customer_token=${token}`);
	await expect(page.getByText('This ticket will be opened for Initech.')).toBeVisible();
	const title = `No JS create ${Date.now()}`;
	// "me@localhost" passes the browser's check but not the server's.
	await fillBasics(page, 'me@localhost', title);
	await page.getByLabel('Ticket type').selectOption('Problem');
	await expect(page.getByLabel('Order number')).toHaveCount(0);
	await page.getByRole('button', { name: 'Update form for this type' }).click();
	await expect(page.getByLabel('Order number')).toBeVisible();
	await expect(page.getByLabel('Template')).toContainText('Order issue');
	await expect(page.getByLabel('Title')).toHaveValue(title);
	await expect(page.getByText('This ticket will be opened for Initech.')).toBeVisible();

	await page.getByLabel('Order number').fill('A-1001');
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('Please check the highlighted fields');
	await expect(alert.getByRole('link', { name: 'Back to form' })).toHaveAttribute('href', '#email');
	await expect(alert.getByRole('link', { name: 'Go back' })).toHaveAttribute(
		'href',
		`/ticket/${p.key}?customer_token=${token}`
	);
	await expect(page.getByLabel('Order number')).toHaveValue('A-1001');

	const email = uniqueEmail('nojs');
	await page.getByLabel('Email').fill(email);
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\/[a-z2-7]{16}\.[a-z2-7]{32}$/);
	const ticket = ticketByTitle(db, title)!;
	expect(ticket.customer_name).toBe('Initech');
	expect(JSON.parse(ticket.custom_fields)).toEqual({ order: 'A-1001' });
	await context.close();
});

test('the form as it is without JavaScript is accessible too', async ({ page }) => {
	// axe needs scripts, so keep the app's own JavaScript from loading instead of turning JS off.
	await page.route('**/_app/immutable/**/*.js', (route) => route.abort());
	await page.goto('/ticket/demo');
	await page.getByLabel('Ticket type').selectOption('Problem');
	await page.getByRole('button', { name: 'Update form for this type' }).click();
	await expect(page.getByLabel('Browser and version')).toBeVisible();
	await expectAccessible(page);
});
