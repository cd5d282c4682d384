import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { transaction } from '$lib/server/db/transaction';
import type { Recipient } from '$lib/server/db/schema';
import { createLogger } from '$lib/server/log';
import { addRecipient, makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as threads from '$lib/server/threads';
import { publicId } from '$lib/server/tokens';
import * as notify from './events';
import { createComposer, createOutbox, smtpTransport } from './index';
import { startTestSmtp, type Received, type TestSmtp } from '$lib/server/test/smtp-server';
import * as subscriptions from './subscriptions';

const { db } = testDb();
const ORIGIN = 'https://help.example.com';
const log = createLogger('silent');
let smtp: TestSmtp;
let outbox: ReturnType<typeof createOutbox>;

beforeAll(async () => {
	smtp = await startTestSmtp();
	const compose = createComposer({
		origin: ORIGIN,
		mailFrom: 'Help <help@example.com>',
		secret: TEST_SECRET
	});
	outbox = createOutbox({
		db,
		transport: smtpTransport(smtp.url),
		compose,
		log,
		pollMs: 60_000,
		backoff: () => 0
	});
});
afterAll(() => smtp.close());
beforeEach(() => void (smtp.received.length = 0));

/** Delivers everything due and returns what the SMTP server got. */
async function flush(): Promise<Received[]> {
	await outbox.deliverDue();
	return smtp.received.splice(0);
}

const header = (r: Received, key: string) =>
	r.mail.headerLines
		.find((h) => h.key === key)
		?.line.replace(/\r?\n[ \t]+/g, ' ')
		.replace(/^[^:]+:\s*/, '');

/** Asserts a mail is one proper notification for `to`, with only that recipient's links. */
async function expectOwnMail(r: Received, to: Recipient, everyone: Recipient[]) {
	expect(r.rcptTo).toEqual([to.email]);
	const thread = /https:\/\/help\.example\.com\/ticket\/thread\/([a-z2-7.]+)/.exec(
		r.mail.text ?? ''
	)?.[1];
	expect((await threads.findByToken(db, TEST_SECRET, thread!))?.recipient.id).toBe(to.id);
	expect(r.mail.html).toContain(`/ticket/thread/${thread}`);
	const unsub = /^<https:\/\/help\.example\.com\/ticket\/unsubscribe\/([a-z2-7.]+)>$/.exec(
		header(r, 'list-unsubscribe') ?? ''
	)?.[1];
	expect((await subscriptions.findByToken(db, TEST_SECRET, unsub!))?.id).toBe(to.id);
	expect(r.mail.text).toContain(`/ticket/unsubscribe/${unsub}`);
	expect(header(r, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
	expect(header(r, 'auto-submitted')).toBe('auto-generated');
	expect(r.mail.messageId).toMatch(/^<ticket-[a-z2-7]+(-[a-z2-7]+)?@help\.example\.com>$/);
	for (const other of everyone.filter((o) => o.id !== to.id))
		expect(r.raw).not.toContain(other.public_id);
}

/** The mails by recipient address; fails if anyone got more than one. */
function oneEach(mails: Received[]) {
	const by = new Map<string, Received>();
	for (const m of mails) {
		expect(by.has(m.rcptTo[0]), `two mails to ${m.rcptTo[0]}`).toBe(false);
		by.set(m.rcptTo[0], m);
	}
	return by;
}

async function ticketWithThree(title = 'Printer on fire') {
	const { ticket, reporter } = await makeTicket(db, { title });
	const a = await addRecipient(db, ticket.id, `a-${publicId()}@example.com`, 'Ann');
	const b = await addRecipient(db, ticket.id, `b-${publicId()}@example.org`, 'Bob');
	await flush();
	const project = await db
		.selectFrom('projects')
		.selectAll()
		.where('id', '=', ticket.project_id)
		.executeTakeFirstOrThrow();
	const fresh = async () =>
		db.selectFrom('tickets').selectAll().where('id', '=', ticket.id).executeTakeFirstOrThrow();
	return { ticket, project, reporter, a, b, all: [reporter, a, b], fresh };
}

describe('notifications over real SMTP', () => {
	it('confirms a new ticket to the reporter only, as text and HTML with the user’s text escaped', async () => {
		const { reporter } = await makeTicket(db, {
			title: 'Broken <b>export</b>',
			description: '<script>alert(1)</script> & more'
		});
		const mails = await flush();
		expect(mails).toHaveLength(1);
		await expectOwnMail(mails[0], reporter, [reporter]);
		const { mail } = mails[0];
		expect(mail.subject).toBe('[Test Project] We received your ticket: Broken <b>export</b>');
		expect(mail.text).toContain('<script>alert(1)</script> & more');
		expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
		expect(mail.html).not.toContain('<script>');
		expect(mail.html).not.toContain('<b>export');
		expect(header(mails[0], 'in-reply-to')).toBeUndefined();
	});

	it('tells the other recipients of a reply, never its author, each with their own links', async () => {
		const t = await ticketWithThree();
		await threads.reply(
			db,
			{ recipient: t.a, ticket: await t.fresh(), project: t.project },
			{ body: 'Same here' }
		);
		const by = oneEach(await flush());
		expect([...by.keys()].sort()).toEqual([t.reporter.email, t.b.email].sort());
		for (const r of [t.reporter, t.b]) {
			const m = by.get(r.email)!;
			await expectOwnMail(m, r, t.all);
			expect(m.mail.text).toContain('Ann replied');
			expect(m.mail.text).toContain('> Same here');
			const root = `<ticket-${t.ticket.thread_key}@help.example.com>`;
			expect(header(m, 'in-reply-to')).toBe(root);
			expect(header(m, 'references')).toBe(root);
		}
	});

	it('sends a staff reply and status changes to every recipient, one mail each', async () => {
		const t = await ticketWithThree();
		await transaction(db, async (tx) => {
			const m = await tx
				.insertInto('messages')
				.values({
					public_id: publicId(),
					ticket_id: t.ticket.id,
					author_name: 'Sam from support',
					body: 'Fixed it',
					event: null,
					created_at: Date.now()
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await notify.staffReplied(tx, { ticketId: t.ticket.id, messageId: m.id });
			await notify.statusChanged(tx, {
				ticketId: t.ticket.id,
				status: 'resolved',
				messageId: null
			});
		});
		const mails = await flush();
		expect(mails).toHaveLength(6);
		for (const kind of ['Sam from support wrote', 'was marked as resolved']) {
			const by = oneEach(mails.filter((m) => m.mail.text?.includes(kind)));
			expect(by.size).toBe(3);
			for (const r of t.all) await expectOwnMail(by.get(r.email)!, r, t.all);
		}
		// "Your ticket" only to the reporter; mail replies go nowhere, so point at the ticket page.
		const resolved = oneEach(mails.filter((m) => m.mail.text?.includes('was marked as resolved')));
		expect(resolved.get(t.reporter.email)!.mail.text).toContain('Your ticket');
		expect(resolved.get(t.a.email)!.mail.text).toContain('The ticket');
		expect(resolved.get(t.a.email)!.mail.text).toContain('reply on the ticket page');
	});

	it('does not mail internal notes even if one was queued as a staff reply', async () => {
		const t = await ticketWithThree();
		await transaction(db, async (tx) => {
			const m = await tx
				.insertInto('messages')
				.values({
					public_id: publicId(),
					ticket_id: t.ticket.id,
					visibility: 'internal',
					author_name: 'Sam',
					body: 'secret note',
					event: null,
					created_at: Date.now()
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await notify.staffReplied(tx, { ticketId: t.ticket.id, messageId: m.id });
		});
		expect(await flush()).toHaveLength(0);
	});

	it('a reply that reopens the ticket tells the others, not the replier', async () => {
		const t = await ticketWithThree();
		await db
			.updateTable('tickets')
			.set({ status: 'resolved' })
			.where('id', '=', t.ticket.id)
			.execute();
		await threads.reply(
			db,
			{ recipient: t.b, ticket: await t.fresh(), project: t.project },
			{ body: 'Still broken' }
		);
		const mails = await flush();
		// One mail each that says both (not a reply mail plus a "reopened" mail).
		expect(mails.map((m) => m.rcptTo[0]).sort()).toEqual([t.a.email, t.reporter.email].sort());
		for (const m of mails) {
			expect(m.mail.subject).toMatch(/^Re: .* — reopened$/);
			expect(m.mail.text).toContain('so the ticket is open again');
			expect(m.mail.text).toContain('Still broken');
		}
	});

	it('welcomes an added recipient alone, and skips unsubscribed and revoked recipients', async () => {
		const t = await ticketWithThree();
		await notify.recipientAdded(db, { ticketId: t.ticket.id, recipientId: t.b.id });
		const added = await flush();
		expect(added).toHaveLength(1);
		await expectOwnMail(added[0], t.b, t.all);
		await subscriptions.unsubscribe(db, t.a);
		await db
			.updateTable('ticket_recipients')
			.set({ revoked_at: Date.now() })
			.where('id', '=', t.b.id)
			.execute();
		await notify.statusChanged(db, { ticketId: t.ticket.id, status: 'rejected', messageId: null });
		const mails = await flush();
		expect(mails.map((m) => m.rcptTo[0])).toEqual([t.reporter.email]);
		// Unsubscribing stops mail, not access.
		const thread = await threads.findByToken(
			db,
			TEST_SECRET,
			(await import('$lib/server/tokens')).splitToken(TEST_SECRET, 'thread', t.a.public_id, 1)
		);
		expect(thread?.recipient.id).toBe(t.a.id);
	});

	it('a title or name with CR/LF injects no header and no recipient', async () => {
		const { reporter } = await makeTicket(db, {
			title: 'Help\r\nBcc: victim@evil.example\r\nX-Injected: yes',
			reporterName: 'Eve\r\nCc: other@evil.example'
		});
		const mails = await flush();
		expect(mails).toHaveLength(1);
		const [m] = mails;
		expect(m.rcptTo).toEqual([reporter.email]);
		expect(m.mail.subject).toBe(
			'[Test Project] We received your ticket: Help Bcc: victim@evil.example X-Injected: yes'
		);
		expect(m.mail.headers.has('bcc')).toBe(false);
		expect(m.mail.headers.has('cc')).toBe(false);
		expect(m.mail.headers.has('x-injected')).toBe(false);
		expect(m.raw).not.toMatch(/^(Bcc|Cc|X-Injected):/im);
		expect(m.mail.to && 'value' in m.mail.to ? m.mail.to.value : []).toEqual([
			{ name: 'Eve Cc: other@evil.example', address: reporter.email }
		]);
	});
});
