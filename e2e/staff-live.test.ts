import { expect, test, type Browser, type Page } from '@playwright/test';
import { withDb } from './fixtures/data';
import { mailsTo, readMails, uniqueEmail } from './fixtures/helpers';
import { inviteAgent, reporterTicket, useStaffServer } from './fixtures/staff';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

// The auto-close job looks every second here (the default is hourly).
const s = useStaffServer({ AUTO_CLOSE_INTERVAL_SEC: '1' });

let agent: { page: Page; name: string } | undefined;
/** A second signed-in staff member (an agent) in a browser context of their own. */
async function agentPage(browser: Browser): Promise<Page> {
	agent ??= await inviteAgent(s, browser, 'Bo Agent');
	return agent.page;
}

/** A reporter opens a ticket on the demo project with a name; returns the thread page. */
async function ticketBy(browser: Browser, title: string, name: string, email = uniqueEmail()) {
	const page = await (await browser.newContext()).newPage();
	await page.goto(`${s.server.origin}/ticket/demo`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Name (optional)').fill(name);
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Description').fill('Something is off.');
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\//);
	return { page, email };
}

async function openTicketPage(page: Page, title: string) {
	await page.goto(`${s.server.origin}/app?q=${encodeURIComponent(title)}`);
	await page.getByRole('link', { name: title }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

/** Marks the page so a test can tell it was not reloaded. */
const mark = (page: Page) => page.evaluate(() => ((window as { liveMark?: number }).liveMark = 1));
const stillMarked = (page: Page) =>
	page.evaluate(() => (window as { liveMark?: number }).liveMark === 1);

test('a new ticket appears in two agents’ inboxes within 2 s, without a reload', async ({
	browser
}) => {
	const origin = s.server.origin;
	const a = await s.adminPage(browser);
	const b = await agentPage(browser);
	for (const p of [a, b]) {
		// The event stream is open (its headers arrived) before the ticket is created.
		const stream = p.waitForResponse((r) => r.url().endsWith('/app/events'));
		await p.goto(`${origin}/app`);
		await expect(p.getByRole('heading', { name: 'Inbox' })).toBeVisible();
		expect((await stream).headers()['content-type']).toMatch(/^text\/event-stream/);
	}
	await mark(a);
	await mark(b);
	const title = `Live ticket ${Date.now()}`;
	const reporter = await (await browser.newContext()).newPage();
	await reporterTicket(reporter, origin, uniqueEmail(), title);
	for (const p of [a, b]) {
		await expect(p.getByRole('link', { name: title })).toBeVisible({ timeout: 2000 });
		expect(await stillMarked(p)).toBe(true);
		await expect(p).toHaveTitle(/^\(\d+\) Inbox/);
	}
	await reporter.context().close();
	await a.context().close();
});

test('B sees A typing; B’s send after A’s reply asks to review first and keeps B’s text', async ({
	browser
}) => {
	const title = `Crossed replies ${Date.now()}`;
	const { page: reporter } = await ticketBy(browser, title, 'Rita');
	const a = await s.adminPage(browser);
	const b = await agentPage(browser);
	await openTicketPage(a, title);
	await openTicketPage(b, title);
	await mark(b);

	await a.getByLabel('Public reply').pressSequentially('We are on it', { delay: 30 });
	await expect(b.getByText('Ada Admin is writing a reply')).toBeVisible({ timeout: 5000 });

	await b.getByLabel('Public reply').fill('Have you tried turning it off and on?');
	await a.getByRole('button', { name: 'Send reply' }).click();
	await expect(a.getByText('Reply sent to everyone on the ticket.')).toBeVisible();
	// A's reply shows up on B's page live; B's draft is untouched.
	await expect(
		b.getByRole('list', { name: 'Conversation' }).getByText('We are on it')
	).toBeVisible();
	await expect(b.getByLabel('Public reply')).toHaveValue('Have you tried turning it off and on?');
	expect(await stillMarked(b)).toBe(true);

	await b.getByRole('button', { name: 'Send reply' }).click();
	const alert = b.getByRole('alert');
	await expect(alert).toContainText('A new message arrived while you were writing');
	await expect(alert).toContainText('We are on it');
	await expect(b.getByLabel('Public reply')).toHaveValue('Have you tried turning it off and on?');
	await expect(b.getByText('Reply sent to everyone on the ticket.')).toHaveCount(0);
	// A second send goes through.
	await b.getByRole('button', { name: 'Send reply' }).click();
	await expect(b.getByText('Reply sent to everyone on the ticket.')).toBeVisible();
	await expect(
		b.getByRole('list', { name: 'Conversation' }).getByText('Have you tried turning it off and on?')
	).toBeVisible();
	await reporter.context().close();
	await a.context().close();
});

test('a crossed reply is caught without JavaScript too', async ({ browser }) => {
	const title = `No-JS crossed ${Date.now()}`;
	const { page: reporter } = await ticketBy(browser, title, 'Rita');
	const state = await (await agentPage(browser)).context().storageState();
	const b = await (
		await browser.newContext({ storageState: state, javaScriptEnabled: false })
	).newPage();
	await openTicketPage(b, title);
	await reporter.getByLabel('Message').fill('Any news?');
	await reporter.getByRole('button', { name: 'Send reply' }).click();
	await expect(reporter.getByText('Any news?').first()).toBeVisible();
	await b.getByLabel('Public reply').fill('Working on it.');
	await b.getByRole('button', { name: 'Send reply' }).click();
	await expect(b.getByRole('alert')).toContainText('A new message arrived while you were writing');
	await expect(b.getByRole('alert')).toContainText('Any news?');
	await expect(b.getByLabel('Public reply')).toHaveValue('Working on it.');
	await b.getByRole('button', { name: 'Send reply' }).click();
	await expect(b.getByText('Reply sent to everyone on the ticket.')).toBeVisible();
	await reporter.context().close();
	await b.context().close();
});

test('a saved reply is inserted with its placeholders filled, and stays inert in the mail', async ({
	browser
}) => {
	const origin = s.server.origin;
	const admin = await s.adminPage(browser);
	await admin.goto(`${origin}/app/saved-replies`);
	await admin.getByLabel('Title').fill('Greeting');
	await admin
		.getByLabel('Text')
		.fill('Hello {reporter_name}, about “{ticket_title}” on {project_name}. — {agent_name}');
	await admin.getByRole('button', { name: 'Add saved reply' }).click();
	await expect(admin.getByText('Added “Greeting”.')).toBeVisible();
	await admin.getByLabel('Title').fill('Closing');
	await admin.getByLabel('Text').fill('Closing this now.');
	await admin.getByRole('button', { name: 'Add saved reply' }).click();
	await expect(admin.getByText('Added “Closing”.')).toBeVisible();
	await admin.context().close();

	const title = `Saved reply ${Date.now()}`;
	const name = '<img src=x onerror=alert(1)>';
	const { page: reporter, email } = await ticketBy(browser, title, name);
	const b = await agentPage(browser);
	await openTicketPage(b, title);
	await b.getByLabel('Public reply').fill('Thanks.');
	await b.getByLabel('Search saved replies').fill('greet');
	await expect(b.getByLabel('Saved reply')).toHaveValue(/\d+/);
	await b.getByRole('button', { name: 'Insert' }).click();
	const filled = `Hello ${name}, about “${title}” on Demo Project. — Bo Agent`;
	await expect(b.getByLabel('Public reply')).toHaveValue(`Thanks.\n\n${filled}`);
	await expect(b.getByLabel('Public reply')).toBeFocused();
	await b.getByRole('button', { name: 'Send reply' }).click();
	await expect(b.getByText('Reply sent to everyone on the ticket.')).toBeVisible();

	const mail = (await mailsTo(email, 2, s.server.dataDir)).find((m) =>
		m.text?.includes('— Bo Agent')
	);
	expect(mail?.text).toContain(filled);
	expect(mail?.html).toContain('Hello &lt;img src=x onerror=alert(1)&gt;');
	expect(String(mail?.html)).not.toMatch(/<img/i);

	// Without JavaScript: pick from the list, "Insert" brings the page back with the box filled.
	const state = await b.context().storageState();
	const plain = await (
		await browser.newContext({ storageState: state, javaScriptEnabled: false })
	).newPage();
	await openTicketPage(plain, title);
	await plain.getByLabel('Saved reply').selectOption({ label: 'Closing' });
	await plain.getByRole('button', { name: 'Insert' }).click();
	await expect(plain.getByLabel('Public reply')).toHaveValue('Closing this now.');
	await plain.context().close();
	await reporter.context().close();
});

test('auto-close resolves a ticket waiting on the reporter once, mails once; a reply reopens it', async ({
	browser
}) => {
	const origin = s.server.origin;
	const admin = await s.adminPage(browser);
	await admin.goto(`${origin}/app/projects/demo`);
	await admin.getByLabel('Resolve tickets waiting on the reporter after N days').fill('2');
	await admin.getByRole('button', { name: 'Save auto-close' }).click();
	await expect(admin.getByText('resolved after 2 days')).toBeVisible();

	const title = `Auto-close ${Date.now()}`;
	const { page: reporter, email } = await ticketBy(browser, title, 'Quiet Reporter');
	await openTicketPage(admin, title);
	await admin.getByLabel('Status').selectOption('waiting');
	await admin.getByRole('button', { name: 'Change status' }).click();
	await expect(admin.getByText('Status changed.')).toBeVisible();
	// Three days of silence.
	withDb(
		(db) =>
			db
				.prepare('UPDATE tickets SET last_activity_at = ? WHERE title = ?')
				.run(Date.now() - 3 * 86_400_000, title),
		s.server.dataDir
	);

	const notices = async () =>
		(await readMails(s.server.dataDir)).filter(
			(m) => m.toAddress === email && m.text?.includes('did not hear back')
		);
	await expect.poll(async () => (await notices()).length, { timeout: 15_000 }).toBe(1);
	const [notice] = await notices();
	expect(notice.subject).toContain('closed because we did not hear back');
	expect(notice.text).toContain('reply on the ticket page');
	// The admin's page shows it live.
	await expect(admin.getByLabel('Status')).toHaveValue('resolved');
	// Later passes leave it alone.
	await new Promise((r) => setTimeout(r, 3000));
	expect(await notices()).toHaveLength(1);

	await reporter.reload();
	await reporter.getByLabel('Message').fill('Sorry, I was away. Still broken.');
	await reporter.getByRole('button', { name: 'Send reply' }).click();
	await expect(reporter.getByRole('status')).toContainText('open again');
	await expect(admin.getByLabel('Status')).toHaveValue('open');
	await expect(admin.getByText('Sorry, I was away. Still broken.')).toBeVisible();
	expect(await notices()).toHaveLength(1);
	await reporter.context().close();
	await admin.context().close();
});

test('the event stream and typing heartbeats are for signed-in staff only', async ({
	browser,
	playwright
}) => {
	const origin = s.server.origin;
	const anon = await playwright.request.newContext();
	const events = await anon.get(`${origin}/app/events`);
	expect(events.status()).toBe(401);
	expect(events.headers()['content-type']).not.toContain('event-stream');
	const typing = await anon.post(`${origin}/app/tickets/1/typing`, {
		headers: { 'content-type': 'application/json', origin },
		data: '{}'
	});
	expect(typing.status()).toBe(401);
	await anon.dispose();
	// Signed in, a form post (what a cross-site page could send) is not a heartbeat.
	const page = await s.adminPage(browser);
	const form = await page.request.post(`${origin}/app/tickets/1/typing`, {
		headers: { 'content-type': 'text/plain', origin },
		data: 'x'
	});
	expect(form.status()).toBe(415);
	await page.context().close();
});

test('open event streams do not hold up a shutdown', async ({ browser }) => {
	const page = await s.adminPage(browser);
	const stream = page.waitForResponse((r) => r.url().endsWith('/app/events'));
	await page.goto(`${s.server.origin}/app`);
	await stream;
	// Without ending the streams, the server would wait for its 2 s cut of open connections.
	const started = Date.now();
	await s.server.stop();
	expect(Date.now() - started).toBeLessThan(2000);
	await page.context().close();
});
