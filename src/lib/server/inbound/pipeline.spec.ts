import { sql } from 'kysely';
import MailComposer from 'nodemailer/lib/mail-composer';
import PostalMime from 'postal-mime';
import type Mail from 'nodemailer/lib/mailer';
import { describe, expect, it } from 'vitest';
import type { Db } from '$lib/server/db';
import { createComposer, type MailMessage } from '$lib/server/notifications';
import { replyAddress } from '$lib/server/notifications/compose';
import { addRecipient, makeProject, makeTicket } from '$lib/server/test/factories';
import { DOMAIN, fixture, testPipeline } from '$lib/server/test/inbound';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { view } from '$lib/server/staff/view';
import { splitToken } from '$lib/server/tokens';
import type { InboundEnvelope } from './contract';

const { db } = testDb();
const { pipeline } = testPipeline(db, { CREATE_LIMIT_PER_EMAIL: '2' });

let seq = 0;
const uid = () => `${Date.now().toString(36)}${++seq}`;

const env = (to: string, from: string | null = 'someone@example.org'): InboundEnvelope => ({
	mailFrom: from,
	rcptTo: [to],
	client: '203.0.113.7',
	transport: 'smtp'
});

function compose(o: Mail.Options): Promise<Uint8Array> {
	return new Promise((res, rej) =>
		new MailComposer(o).compile().build((err, msg) => (err ? rej(err) : res(msg)))
	);
}

// A 1×1 PNG (magic bytes checked by the attachment pipeline).
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
	'base64'
);

async function ticketWithCc(status: 'open' | 'resolved' = 'open') {
	const { ticket, reporter } = await makeTicket(db);
	const cc = await addRecipient(db, ticket.id, `cc-${uid()}@example.com`, 'Carla');
	if (status !== 'open')
		await db
			.updateTable('tickets')
			.set({ status, resolved_at: Date.now() })
			.where('id', '=', ticket.id)
			.execute();
	return { ticket, reporter, cc, to: replyAddress(TEST_SECRET, reporter, DOMAIN) };
}

const messagesOf = (db: Db, ticketId: number) =>
	db
		.selectFrom('messages')
		.select(['kind', 'visibility', 'body', 'event', 'author_recipient_id'])
		.where('ticket_id', '=', ticketId)
		.orderBy('id')
		.execute();

const mailsOf = (db: Db, ticketId: number) =>
	db
		.selectFrom('outbound_emails')
		.select(['kind', 'recipient_id'])
		.where('ticket_id', '=', ticketId)
		.where('kind', '!=', 'ticket_created')
		.orderBy('id')
		.execute();

describe('accepts (the RCPT TO check)', () => {
	it('takes a live reply address and project key; refuses forged, truncated, thread-link and foreign-domain ones', async () => {
		const { reporter, to } = await ticketWithCc();
		const project = await makeProject(db);
		expect(await pipeline.accepts(to)).toBe(true);
		expect(await pipeline.accepts(`<${to.toUpperCase()}>`)).toBe(true);
		expect(await pipeline.accepts(`${project.key}@${DOMAIN}`)).toBe(true);
		expect(await pipeline.accepts(to.replace(/.@/, (m) => (m[0] === 'a' ? 'b@' : 'a@')))).toBe(
			false
		);
		expect(await pipeline.accepts(to.replace(/.{4}@/, '@'))).toBe(false);
		const thread = splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version);
		expect(await pipeline.accepts(`reply+${thread}@${DOMAIN}`)).toBe(false);
		expect(await pipeline.accepts(to.replace(DOMAIN, 'example.com'))).toBe(false);
		expect(await pipeline.accepts(`nobody-${uid()}@${DOMAIN}`)).toBe(false);
		// Re-issuing the link (version bump) revokes the reply address with it.
		await db
			.updateTable('ticket_recipients')
			.set({ token_version: reporter.token_version + 1 })
			.where('id', '=', reporter.id)
			.execute();
		expect(await pipeline.accepts(to)).toBe(false);
	});
});

describe('a reply by mail', () => {
	it('posts as that recipient with quoted history stripped, reopens, notifies others but not the sender, keeps From', async () => {
		const { ticket, reporter, cc, to } = await ticketWithCc('resolved');
		const outcome = await pipeline.receive(fixture('gmail-reply.eml', to, uid()), env(to));
		expect(outcome.kind).toBe('stored');
		const msgs = await messagesOf(db, ticket.id);
		expect(msgs.at(-2)).toMatchObject({
			kind: 'message',
			author_recipient_id: reporter.id,
			body: 'Thanks, restarting the spooler fixed it for now. It still shows "offline" after a reboot though.\n\nAlice'
		});
		expect(msgs.at(-1)).toMatchObject({ kind: 'event', event: 'reopened' });
		const status = await db
			.selectFrom('tickets')
			.select('status')
			.where('id', '=', ticket.id)
			.executeTakeFirstOrThrow();
		expect(status.status).toBe('open');
		expect(await mailsOf(db, ticket.id)).toEqual([
			{ kind: 'recipient_reply', recipient_id: cc.id }
		]);
		const ledger = await db
			.selectFrom('inbound_messages')
			.select(['outcome', 'from_address', 'transport'])
			.where('ticket_id', '=', ticket.id)
			.execute();
		expect(ledger).toEqual([
			{ outcome: 'reply', from_address: 'alice.reporter@gmail.com', transport: 'smtp' }
		]);
		// Staff see that it came by mail, and from another address than the recipient's.
		const staffView = await view(db, ticket.id);
		expect(staffView!.messages.find((m) => m.body.startsWith('Thanks, restarting'))).toMatchObject({
			byMail: true,
			mailFrom: 'alice.reporter@gmail.com',
			fromDiffers: true
		});
	});

	it('the same message delivered twice is stored once (by Message-ID, and by raw hash without one)', async () => {
		const { ticket, to } = await ticketWithCc();
		const raw = fixture('outlook-reply.eml', to, uid());
		expect((await pipeline.receive(raw, env(to))).kind).toBe('stored');
		expect((await pipeline.receive(raw, env(to))).kind).toBe('duplicate');
		const noId = await compose({ from: 'x@example.org', to, subject: 'hi', text: 'no id here' });
		const stripped = new TextDecoder().decode(noId).replace(/^Message-ID:.*\r\n/im, '');
		const bytes = new TextEncoder().encode(stripped);
		expect((await pipeline.receive(bytes, env(to))).kind).toBe('stored');
		expect((await pipeline.receive(bytes, env(to))).kind).toBe('duplicate');
		// Two racing deliveries: one stored, one duplicate.
		const race = fixture('apple-mail-reply.eml', to, uid());
		const both = await Promise.all([
			pipeline.receive(race, env(to)),
			pipeline.receive(race, env(to))
		]);
		expect(both.map((o) => o.kind).sort()).toEqual(['duplicate', 'stored']);
		const bodies = (await messagesOf(db, ticket.id)).map((m) => m.body);
		expect(bodies.filter((b) => b.includes('floor 3'))).toHaveLength(1);
		expect(bodies.filter((b) => b === 'no id here')).toHaveLength(1);
		expect(bodies.filter((b) => b.startsWith('Same here'))).toHaveLength(1);
	});

	it('attachments and cid inline images go through the attachment pipeline; a disallowed type is noted, the text kept', async () => {
		const { ticket, to } = await ticketWithCc();
		const raw = await compose({
			from: 'Rita <rita@example.com>',
			to,
			subject: 'Re: screenshot',
			text: 'Here is the screenshot.',
			html: '<p>Here is the screenshot.</p><img src="cid:shot@x">',
			attachments: [
				{ filename: 'log.txt', content: 'line 1\nline 2\n' },
				{ filename: 'shot.png', content: PNG, cid: 'shot@x' }
			]
		});
		expect((await pipeline.receive(raw, env(to))).kind).toBe('stored');
		const files = await db
			.selectFrom('attachments')
			.select(['name', 'mime', 'message_id'])
			.where('ticket_id', '=', ticket.id)
			.orderBy('id')
			.execute();
		expect(files.map((f) => [f.name, f.mime]).sort()).toEqual([
			['log.txt', 'text/plain'],
			['shot.png', 'image/png']
		]);
		expect(files[0].message_id).not.toBeNull();

		const exe = await compose({
			from: 'rita@example.com',
			to,
			subject: 'Re: tool',
			text: 'Try this tool.',
			attachments: [{ filename: 'tool.exe', content: Buffer.from('MZ\x90\x00\x03\x00\x00\x00') }]
		});
		expect((await pipeline.receive(exe, env(to))).kind).toBe('stored');
		const last = (await messagesOf(db, ticket.id)).at(-1)!;
		expect(last.body).toMatch(/^Try this tool\.\n\n\[Attachments were not added: .+\]$/);
	});

	it('auto-replies and bounces never post, reopen or notify: one internal event for staff at most', async () => {
		const { ticket, to } = await ticketWithCc('resolved');
		const oof = await pipeline.receive(fixture('outlook-out-of-office.eml', to, uid()), env(to));
		expect(oof).toMatchObject({ kind: 'dropped' });
		const dsn = await pipeline.receive(fixture('dsn-bounce.eml', to, uid()), env(to, null));
		expect(dsn).toMatchObject({ kind: 'dropped' });
		for (const [header, value] of [
			['Precedence', 'bulk'],
			['X-Autoreply', 'yes'],
			['X-Autorespond', 'Vacation']
		]) {
			const raw = await compose({
				from: 'a@example.org',
				to,
				subject: 'away',
				text: 'I am away',
				headers: { [header]: value }
			});
			expect((await pipeline.receive(raw, env(to))).kind).toBe('dropped');
		}
		const daemon = await compose({ from: 'x@example.org', to, subject: 's', text: 'bounce' });
		expect((await pipeline.receive(daemon, env(to, 'MAILER-DAEMON@mx.example.org'))).kind).toBe(
			'dropped'
		);
		// Auto-Submitted: no is a human's mail.
		const human = await compose({
			from: 'a@example.org',
			to,
			subject: 's',
			text: 'I am human',
			headers: { 'Auto-Submitted': 'no' }
		});
		expect((await pipeline.receive(human, env(to))).kind).toBe('stored');
		const msgs = await messagesOf(db, ticket.id);
		const internal = msgs.filter((m) => m.visibility === 'internal');
		expect(internal).toHaveLength(6);
		expect(internal.every((m) => m.event === 'auto_reply_received')).toBe(true);
		expect(
			msgs.filter((m) => m.visibility === 'public' && m.kind === 'message').map((m) => m.body)
		).toEqual(['I am human']);
	});

	it('the per-link reply limit defers (the sender retries), it does not lose the mail', async () => {
		const { pipeline: tight } = testPipeline(db, { REPLY_LIMIT_PER_TOKEN: '1' });
		const { to } = await ticketWithCc();
		const one = await compose({ from: 'a@example.org', to, subject: 's', text: 'first' });
		const two = await compose({ from: 'a@example.org', to, subject: 's', text: 'second' });
		expect((await tight.receive(one, env(to))).kind).toBe('stored');
		await expect(tight.receive(two, env(to))).rejects.toMatchObject({ name: 'InboundDeferred' });
	});
});

describe('mail to a project address', () => {
	it('opens a ticket with the subject as title, signature dropped, and queues the confirmation', async () => {
		const project = await makeProject(db);
		const raw = await compose({
			from: 'Nora New <nora@example.net>',
			to: `${project.key}@${DOMAIN}`,
			subject: 'VPN drops every hour',
			text: 'Since Monday the VPN disconnects hourly.\n\n-- \nNora'
		});
		expect((await pipeline.receive(raw, env(`${project.key}@${DOMAIN}`))).kind).toBe('stored');
		const t = await db
			.selectFrom('tickets')
			.selectAll()
			.where('project_id', '=', project.id)
			.executeTakeFirstOrThrow();
		expect(t).toMatchObject({
			title: 'VPN drops every hour',
			description: 'Since Monday the VPN disconnects hourly.',
			reporter_email: 'nora@example.net',
			reporter_name: 'Nora New',
			source: 'email'
		});
		const mail = await db
			.selectFrom('outbound_emails')
			.select('kind')
			.where('ticket_id', '=', t.id)
			.execute();
		expect(mail).toEqual([{ kind: 'ticket_created' }]);
	});

	it('holds to the per-email create limit and the alias works like the key', async () => {
		const project = await makeProject(db);
		await db
			.updateTable('projects')
			.set({ mail_alias: `help-${project.key}` })
			.where('id', '=', project.id)
			.execute();
		const address = `help-${project.key}@${DOMAIN}`;
		const kinds = [];
		for (let i = 0; i < 3; i++) {
			const raw = await compose({
				from: 'limit@example.net',
				to: address,
				subject: `n${i}`,
				text: 'x'
			});
			kinds.push((await pipeline.receive(raw, env(address))).kind);
		}
		expect(kinds).toEqual(['stored', 'stored', 'dropped']);
	});

	it('an intake-only project sends one notice (rate limited) and opens no ticket', async () => {
		const project = await makeProject(db, { anonymous_creation: 0 });
		const address = `${project.key}@${DOMAIN}`;
		for (let i = 0; i < 2; i++) {
			const raw = await compose({
				from: 'out@example.net',
				to: address,
				subject: 'hi',
				text: `t${i}`
			});
			expect((await pipeline.receive(raw, env(address, 'out@example.net'))).kind).toBe('dropped');
		}
		const tickets = await db
			.selectFrom('tickets')
			.select('id')
			.where('project_id', '=', project.id)
			.execute();
		expect(tickets).toEqual([]);
		const notices = await sql<{
			payload: string;
		}>`SELECT payload FROM outbound_emails WHERE kind = 'inbound_notice'`.execute(db);
		const mine = notices.rows.filter((r) => JSON.parse(r.payload).projectId === project.id);
		expect(mine.map((r) => JSON.parse(r.payload).to)).toEqual(['out@example.net']);
	});

	it('refuses an address nobody has; ignores mail from the portal itself', async () => {
		const raw = await compose({
			from: 'a@example.org',
			to: `x@${DOMAIN}`,
			subject: 's',
			text: 't'
		});
		expect(await pipeline.receive(raw, env(`nobody@${DOMAIN}`))).toEqual({
			kind: 'refused',
			detail: 'no such recipient'
		});
		const project = await makeProject(db);
		const loop = await compose({
			from: `reply+x@${DOMAIN}`,
			to: `${project.key}@${DOMAIN}`,
			subject: 'loop',
			text: 'loop'
		});
		expect((await pipeline.receive(loop, env(`${project.key}@${DOMAIN}`))).kind).toBe('dropped');
	});

	it('nothing from the inbound mail reaches the confirmation’s headers: encoded CR/LF in Subject and name', async () => {
		const project = await makeProject(db);
		const address = `${project.key}@${DOMAIN}`;
		const b64 = (t: string) => `=?utf-8?B?${Buffer.from(t).toString('base64')}?=`;
		const raw = new TextEncoder().encode(
			[
				`From: ${b64('Eve\r\nBcc: victim@example.com')} <eve@example.net>`,
				`To: ${address}`,
				`Subject: ${b64('Hello\r\nBcc: victim@example.com\r\nX-Evil: 1')}`,
				`Message-ID: <inject-${uid()}@example.net>`,
				'Content-Type: text/plain; charset=utf-8',
				'',
				'Body'
			].join('\r\n')
		);
		expect((await pipeline.receive(raw, env(address, 'eve@example.net'))).kind).toBe('stored');
		const row = await db
			.selectFrom('outbound_emails as o')
			.innerJoin('tickets as t', 't.id', 'o.ticket_id')
			.selectAll('o')
			.where('t.project_id', '=', project.id)
			.executeTakeFirstOrThrow();
		const compose = createComposer({
			origin: 'https://help.example.com',
			mailFrom: 'help@example.com',
			secret: TEST_SECRET,
			inboundDomain: DOMAIN
		});
		const message = (await compose(db, row)) as MailMessage;
		const built = await new Promise<Buffer>((res, rej) =>
			new MailComposer(message).compile().build((e, m) => (e ? rej(e) : res(m)))
		);
		const headerBlock = built.toString('utf8').split('\r\n\r\n')[0];
		expect(headerBlock).not.toMatch(/^(Bcc|X-Evil):/im);
		const parsed = await PostalMime.parse(built);
		expect(parsed.bcc).toBeUndefined();
		expect(parsed.subject).toBe(
			'[Test Project] We received your ticket: Hello Bcc: victim@example.com X-Evil: 1'
		);
	});
});
