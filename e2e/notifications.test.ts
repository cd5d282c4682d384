import { expect, test } from '@playwright/test';
import { launchServer, type TestServer } from './fixtures/server';
import { uniqueEmail } from './fixtures/helpers';
import { startTestSmtp, type TestSmtp } from './fixtures/peers';

let smtp: TestSmtp;
let server: TestServer;

test.beforeAll(async () => {
	smtp = await startTestSmtp();
	server = await launchServer({
		SMTP_URL: smtp.url,
		MAIL_FROM: 'Help Desk <help@example.com>',
		OUTBOX_RETRY_BASE_MS: '300'
	});
});
test.afterAll(async () => {
	await server?.stop();
	await smtp?.close();
});

test('with SMTP_URL set, mail goes to the SMTP server and retries after a refusal', async ({
	page
}) => {
	const email = uniqueEmail();
	const title = `SMTP ${Date.now()}`;
	smtp.refuseNext('rcpt', 451, 'Greylisted, try again');
	await page.goto(`${server.origin}/ticket/demo`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Description').fill('Over SMTP');
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

	// The first attempt is refused; the outbox retries after its backoff and sends it once.
	await expect.poll(() => smtp.received.filter((r) => r.rcptTo.includes(email)).length).toBe(1);
	await page.waitForTimeout(1000);
	expect(smtp.received.filter((r) => r.rcptTo.includes(email))).toHaveLength(1);
	const [got] = smtp.received.filter((r) => r.rcptTo.includes(email));
	expect(got.mail.subject).toContain(title);
	expect(got.mail.from?.text).toContain('help@example.com');
	const link = /https?:\/\/\S+\/ticket\/thread\/\S+/.exec(got.mail.text ?? '')?.[0];
	expect(link).toBe(page.url());
});
