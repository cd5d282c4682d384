import { expect, test, type Page } from '@playwright/test';
import nodemailer from 'nodemailer';
import { openDb } from './fixtures/data';
import { mailsTo, uniqueEmail } from './fixtures/helpers';
import { launchServer, type TestServer } from './fixtures/server';
import { dovecotAvailable, startDovecot, type TestDovecot } from '../src/lib/server/test/dovecot';

// Reply by email through a real mailbox: Dovecot (started here) holds the support address's mail,
// the built portal polls it over IMAP (INBOUND_IMAP_URL), a browser reads the thread.
const DOMAIN = 'support.example.com';
test.skip(!dovecotAvailable, 'needs /usr/sbin/dovecot (apt-get install dovecot-imapd)');
test.describe.configure({ mode: 'serial' });

let dovecot: TestDovecot;
let server: TestServer;

test.beforeAll(async () => {
	dovecot = await startDovecot();
	server = await launchServer({ INBOUND_DOMAIN: DOMAIN, INBOUND_IMAP_URL: dovecot.url });
});
test.afterAll(async () => {
	await server?.stop();
	await dovecot?.close();
});

/** A ticket opened on the create page; returns its thread URL and the confirmation's Reply-To. */
async function openTicket(page: Page) {
	const email = uniqueEmail('imap');
	const title = `Mailbox reply ${Date.now()}`;
	await page.goto(`${server.origin}/ticket/demo`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Description').fill('The scanner jams on every page.');
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\/[a-z2-7]{16}\.[a-z2-7]{32}$/);
	const [confirmation] = await mailsTo(email, 1, server.dataDir);
	const replyTo = confirmation.replyTo?.value[0]?.address ?? '';
	expect(replyTo).toMatch(new RegExp(`^reply\\+[a-z2-7.]+@${DOMAIN}$`));
	return { email, title, thread: page.url(), replyTo };
}

/** A raw reply as a mail client would file it in the support mailbox. */
async function replyMail(
	from: string,
	to: string,
	text: string,
	attachment?: { filename: string; content: string }
) {
	const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
	const info = await composer.sendMail({
		from,
		to,
		subject: 'Re: your ticket',
		messageId: `<${Math.random().toString(36).slice(2)}.${Date.now()}@client.example>`,
		text,
		attachments: attachment ? [attachment] : []
	});
	return info.message as Buffer;
}

/** How many messages of the portal's database contain `text`. */
function storedWith(text: string) {
	const db = openDb(server.dataDir);
	try {
		return (
			db.prepare('SELECT count(*) AS n FROM messages WHERE body LIKE ?').get(`%${text}%`) as {
				n: number;
			}
		).n;
	} finally {
		db.close();
	}
}

test('a reply appended to the mailbox appears in the thread with its file and moves to Processed', async ({
	page
}) => {
	const t = await openTicket(page);
	const words = `Still jamming after the cleaning ${Date.now()}`;
	await dovecot.append(
		await replyMail(t.email, t.replyTo, words, {
			filename: 'jam-log.txt',
			content: 'paper jam at tray 2\n'
		})
	);
	await expect
		.poll(async () => (await dovecot.list('Processed')).length, { timeout: 20_000 })
		.toBe(1);
	expect(await dovecot.list('INBOX')).toEqual([]);
	expect(await dovecot.list('Failed')).toEqual([]);

	await page.goto(t.thread);
	await expect(page.getByText(words)).toHaveCount(1);
	await expect(page.getByRole('link', { name: /jam-log\.txt/ })).toBeVisible();
});

test('the portal killed in the middle of a batch: after a restart every message is in the thread once and in Processed', async ({
	page
}) => {
	await dovecot.reset();
	const t = await openTicket(page);
	const run = Date.now().toString(36);
	const words = Array.from({ length: 6 }, (_, i) => `Batch ${run} message ${i + 1}`);
	for (const [i, text] of words.entries()) {
		const raw = await replyMail(t.email, t.replyTo, text, {
			filename: `part-${i + 1}.txt`,
			content: `${text}\n`.repeat(200)
		});
		// The first (the one the kill catches) has no Message-ID: its redelivery is recognised
		// by its bytes.
		await dovecot.append(i === 0 ? withoutMessageId(raw) : raw);
	}

	// SIGKILL as soon as the first message is stored: the rest, and perhaps that one too, are
	// still in INBOX.
	await expect
		.poll(() => storedWith(`Batch ${run}`), { intervals: [10], timeout: 20_000 })
		.toBeGreaterThan(0);
	server.signal('SIGKILL');
	await expect.poll(() => server.pid() === undefined || !isAlive(server.pid()!)).toBe(true);
	// Mid-batch: something is stored, and at least one message (usually the stored one too: the
	// kill lands before its move) waits in INBOX.
	expect(storedWith(`Batch ${run}`)).toBeGreaterThan(0);
	expect((await dovecot.list('INBOX')).length).toBeGreaterThan(0);

	await server.restart();
	await expect
		.poll(async () => (await dovecot.list('Processed')).length, { timeout: 30_000 })
		.toBe(words.length);
	expect(await dovecot.list('INBOX')).toEqual([]);
	expect(await dovecot.list('Failed')).toEqual([]);

	await page.goto(t.thread);
	for (const [i, text] of words.entries()) {
		await expect(page.getByText(text, { exact: true })).toHaveCount(1);
		await expect(page.getByRole('link', { name: new RegExp(`part-${i + 1}\\.txt`) })).toHaveCount(
			1
		);
		expect(storedWith(text)).toBe(1);
	}
});

function withoutMessageId(raw: Buffer): Buffer {
	const stripped = raw.toString('latin1').replace(/^Message-ID:.*\r\n/im, '');
	expect(stripped).not.toMatch(/^Message-ID:/im);
	return Buffer.from(stripped, 'latin1');
}

function isAlive(pid: number) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
