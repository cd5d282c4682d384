import { expect, test } from '@playwright/test';
import nodemailer from 'nodemailer';
import { connect } from 'node:net';
import { ticketByTitle, withDb } from './fixtures/data';
import { expectAccessible, mailsTo, uniqueEmail } from './fixtures/helpers';
import { freePort } from './fixtures/server';
import { startStaffServer, type StaffServer } from './fixtures/staff';

// The staff side of reply by email: the project's mail alias set in the dashboard, and the
// ticket page saying a reply came by mail from another address than the recipient's.
test.describe.configure({ timeout: 90_000 });
const DOMAIN = 'support.example.com';
let s: StaffServer;
let smtpPort: number;

test.beforeAll(async ({ browser }) => {
	smtpPort = await freePort();
	s = await startStaffServer(browser, {
		INBOUND_DOMAIN: DOMAIN,
		INBOUND_SMTP_PORT: String(smtpPort)
	});
	await expect
		.poll(
			() =>
				new Promise((resolve) => {
					const c = connect(smtpPort, '127.0.0.1', () => (c.end(), resolve(true)));
					c.on('error', () => resolve(false));
				})
		)
		.toBe(true);
});
test.afterAll(async () => {
	await s?.server.stop();
});

const send = (o: nodemailer.SendMailOptions) =>
	nodemailer
		.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true })
		.sendMail(o);

test('an admin sets a mail alias; mail to it opens a ticket; a reply from another address is flagged for staff', async ({
	browser
}) => {
	const origin = s.server.origin;
	const page = await s.adminPage(browser);
	await page.goto(`${origin}/app/projects/demo`);
	const alias = page.getByLabel('Mail alias');
	await expect(page.getByText(`Mail to demo@${DOMAIN}`)).toBeVisible();
	await alias.fill('Not valid!');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByText('Use lower-case letters, digits, dots and dashes')).toBeVisible();
	await alias.fill('billing');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByRole('status')).toHaveText('Project settings saved.');
	await page.reload();
	await expect(page.getByLabel('Mail alias')).toHaveValue('billing');

	const reporter = uniqueEmail('billing');
	const title = `Invoice question ${Date.now()}`;
	const info = await send({
		from: reporter,
		to: `billing@${DOMAIN}`,
		subject: title,
		text: 'Why two invoices?'
	});
	expect(info.response).toMatch(/^250 /);
	const [confirmation] = await mailsTo(reporter, 1, s.server.dataDir);
	const replyTo = confirmation.replyTo?.value[0]?.address ?? '';
	expect(replyTo).toMatch(new RegExp(`@${DOMAIN}$`));

	// The reporter answers from their phone's other account.
	const other = uniqueEmail('phone');
	await send({
		from: other,
		to: replyTo,
		subject: `Re: ${title}`,
		text: 'Sent from the other account.'
	});

	const id = withDb((db) => ticketByTitle(db, title).id, s.server.dataDir);
	await page.goto(`${origin}/app/tickets/${id}`);
	await expect(page.getByText('Sent from the other account.')).toBeVisible();
	await expect(page.getByText(/· by email$/)).toBeVisible();
	await expect(
		page.getByText(`Sent by email from ${other}, not from this recipient’s address.`)
	).toBeVisible();
	await expectAccessible(page);
});
