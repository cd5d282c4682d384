import { expect, test } from '@playwright/test';
import nodemailer from 'nodemailer';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { withDb } from './fixtures/data';
import { expectAccessible, mailsTo, readMails, uniqueEmail } from './fixtures/helpers';
import { freePort, launchServer, type TestServer } from './fixtures/server';
import { replyAddress, seedTicket, threadToken } from './fixtures/threads';

// Reply by email against the built server: real SMTP from nodemailer to the portal's listener.
const DOMAIN = 'support.example.com';
let server: TestServer;
let smtpPort: number;

test.beforeAll(async () => {
	smtpPort = await freePort();
	server = await launchServer({ INBOUND_DOMAIN: DOMAIN, INBOUND_SMTP_PORT: String(smtpPort) });
	// The listener starts right after the web server listens.
	await expect
		.poll(
			() =>
				new Promise((resolve) => {
					const s = connect(smtpPort, '127.0.0.1', () => (s.end(), resolve(true)));
					s.on('error', () => resolve(false));
				})
		)
		.toBe(true);
});
test.afterAll(async () => {
	await server?.stop();
});

const smtp = () =>
	nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });

type SmtpError = { responseCode?: number; response?: string };
const refusal = (p: Promise<unknown>) =>
	p.then(
		() => null,
		(e: SmtpError) => e
	);

// A 1×1 PNG.
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
	'base64'
);

function resolvedTicket(title: string) {
	const reporter = uniqueEmail('reporter');
	const cc = uniqueEmail('cc');
	const seeded = seedTicket(
		{
			title,
			status: 'resolved',
			recipients: [
				{ email: reporter, name: 'Rita', role: 'reporter' },
				{ email: cc, name: 'Carla', role: 'cc' }
			]
		},
		server.dataDir
	);
	const [r, c] = seeded.recipients;
	return {
		...seeded,
		reporter,
		cc,
		replyTo: replyAddress(r.publicId, DOMAIN, 1, server.dataDir),
		reporterPath: r.path,
		ccPath: c.path
	};
}

test('a recipient’s reply by mail lands in the thread with its file, history stripped, reopens, mails the others only', async ({
	page
}) => {
	const t = resolvedTicket(`Mail reply ${Date.now()}`);
	const info = await smtp().sendMail({
		from: `Rita <${t.reporter}>`,
		to: t.replyTo,
		subject: `Re: [Demo] ${t.title}`,
		text: `The printer works again after the update.\n\nOn Mon, 30 Nov 2026 at 14:02, Demo support <${t.replyTo}> wrote:\n> SECRET OLD HISTORY\n> more history`,
		attachments: [{ filename: 'shot.png', content: PNG }]
	});
	expect(info.response).toMatch(/^250 /);

	// The poll endpoint of the other recipient's link sees it, with the file and the new status.
	const poll = await fetch(`${server.origin}${t.ccPath}/messages?after=resolved.0.`);
	expect(poll.status).toBe(200);
	const changes = (await poll.json()) as {
		status: string;
		messages: { body: string; event: string | null; attachments?: { name: string }[] }[];
	};
	expect(changes.status).toBe('open');
	const reply = changes.messages.find((m) => m.body.startsWith('The printer works'));
	expect(reply?.body).toBe('The printer works again after the update.');
	expect(reply?.attachments?.map((a) => a.name)).toEqual(['shot.png']);

	await page.goto(`${server.origin}${t.ccPath}`);
	await expect(page.getByText('The printer works again after the update.')).toBeVisible();
	await expect(page.getByText('SECRET OLD HISTORY')).toHaveCount(0);
	await expect(page.getByRole('link', { name: /shot\.png/ }).first()).toBeVisible();
	await expect(page.getByText('Status: Open')).toBeVisible();
	await expectAccessible(page);

	// The other recipient is told (with their own Reply-To); the sender is not.
	const [told] = await mailsTo(t.cc, 1, server.dataDir);
	expect(told.subject).toContain('reopened');
	expect(told.replyTo?.value[0]?.address).toMatch(new RegExp(`^reply\\+[a-z2-7.]+@${DOMAIN}$`));
	expect(told.replyTo?.value[0]?.address).not.toBe(t.replyTo);
	expect(told.text).toContain('Reply to this email or open your ticket: ');
	await page.waitForTimeout(1000);
	expect((await readMails(server.dataDir)).filter((m) => m.toAddress === t.reporter)).toHaveLength(
		0
	);
});

test('mail to the demo project opens a ticket and mails the confirmation; an intake-only project only a notice', async ({
	request
}) => {
	const from = uniqueEmail('newcomer');
	const title = `By mail ${Date.now()}`;
	await smtp().sendMail({
		from: `Nina New <${from}>`,
		to: `demo@${DOMAIN}`,
		subject: title,
		text: 'Our VPN drops every hour.\n\n-- \nNina'
	});
	const [confirmation] = await mailsTo(from, 1, server.dataDir);
	expect(confirmation.subject).toContain(title);
	expect(confirmation.text).toContain('Our VPN drops every hour.');
	const reply = confirmation.replyTo?.value[0]?.address ?? '';
	expect(reply).toMatch(new RegExp(`^reply\\+[a-z2-7]{16}\\.[a-z2-7]{32}@${DOMAIN}$`));
	const link = /Reply to this email or open your ticket: (\S+)/.exec(confirmation.text ?? '')?.[1];
	expect(link).toMatch(/\/ticket\/thread\//);
	const page = await request.get(link!);
	expect(page.status()).toBe(200);
	expect(await page.text()).toContain(title);

	// The reply token cannot open the page; the thread token is no reply address.
	const replyToken = reply.slice('reply+'.length).split('@')[0];
	expect((await request.get(`${server.origin}/ticket/thread/${replyToken}`)).status()).toBe(404);
	const threadTok = link!.split('/ticket/thread/')[1];
	const wrong = await refusal(
		smtp().sendMail({ from, to: `reply+${threadTok}@${DOMAIN}`, subject: 'x', text: 'x' })
	);
	expect(wrong).toMatchObject({ responseCode: 550 });

	// An intake-only project: a notice to the sender, no ticket.
	const closed = withDb((db) => {
		const key = `closed${Date.now().toString(36)}`;
		const now = Date.now();
		db.prepare(
			'INSERT INTO projects (key, name, anonymous_creation, created_at, updated_at) VALUES (?, ?, 0, ?, ?)'
		).run(key, 'Closed Co', now, now);
		return key;
	}, server.dataDir);
	const other = uniqueEmail('outsider');
	const closedTitle = `Closed ${Date.now()}`;
	await smtp().sendMail({
		from: other,
		to: `${closed}@${DOMAIN}`,
		subject: closedTitle,
		text: 'hi'
	});
	const [notice] = await mailsTo(other, 1, server.dataDir);
	expect(notice.subject).toBe('[Closed Co] Your email did not open a ticket');
	expect(notice.headers.get('auto-submitted')).toBe('auto-replied');
	const tickets = withDb(
		(db) =>
			db.prepare('SELECT count(*) AS n FROM tickets WHERE title = ?').get(closedTitle) as {
				n: number;
			},
		server.dataDir
	);
	expect(tickets.n).toBe(0);
});

test('an Outlook out-of-office and a DSN bounce change nothing the reporter can see', async () => {
	const t = resolvedTicket(`Auto ${Date.now()}`);
	const fixture = (name: string) =>
		readFileSync(`test/fixtures/mail/${name}`, 'utf8')
			.replaceAll('{{TO}}', t.replyTo)
			.replaceAll('{{ID}}', `${Date.now()}`)
			.replace(/\r?\n/g, '\r\n');
	for (const [name, from] of [
		['outlook-out-of-office.eml', t.reporter],
		['dsn-bounce.eml', '']
	]) {
		const info = await smtp().sendMail({ envelope: { from, to: [t.replyTo] }, raw: fixture(name) });
		expect(info.response).toMatch(/^250 /);
	}
	// Nothing new on the reporter's link (204 = no change since the empty, resolved start).
	const poll = await fetch(`${server.origin}${t.reporterPath}/messages?after=resolved.0.`);
	expect(poll.status).toBe(204);
	await new Promise((r) => setTimeout(r, 1000));
	const mails = (await readMails(server.dataDir)).filter((m) =>
		[t.reporter, t.cc].includes(m.toAddress)
	);
	expect(mails).toHaveLength(0);
});

test('the same message twice is stored once; 30 MB is refused at DATA; an unknown address at RCPT', async () => {
	const t = resolvedTicket(`Dedup ${Date.now()}`);
	const message = {
		from: t.reporter,
		to: t.replyTo,
		subject: 'Re: twice',
		text: 'Delivered twice, stored once.',
		messageId: `<twice-${Date.now()}@example.com>`
	};
	await smtp().sendMail(message);
	const again = await smtp().sendMail(message);
	expect(again.response).toMatch(/^250 /);
	const poll = await fetch(`${server.origin}${t.reporterPath}/messages?after=resolved.0.`);
	const { messages } = (await poll.json()) as { messages: { body: string }[] };
	expect(messages.filter((m) => m.body === 'Delivered twice, stored once.')).toHaveLength(1);

	const big = await refusal(
		smtp().sendMail({
			from: t.reporter,
			to: t.replyTo,
			subject: 'big',
			text: 'x'.repeat(30 * 1024 * 1024)
		})
	);
	expect(big).toMatchObject({ responseCode: 552 });

	const unknown = await refusal(
		smtp().sendMail({ from: t.reporter, to: `nobody@${DOMAIN}`, subject: 's', text: 't' })
	);
	expect(unknown).toMatchObject({ responseCode: 550 });
	expect(unknown?.response).toBe('550 5.1.1 No such recipient here');
	// A thread link's token as a reply address is refused the same way.
	const tok = threadToken(t.recipients[0].publicId, 1, server.dataDir);
	const asReply = await refusal(
		smtp().sendMail({ from: t.reporter, to: `reply+${tok}@${DOMAIN}`, subject: 's', text: 't' })
	);
	expect(asReply?.response).toBe('550 5.1.1 No such recipient here');
});
