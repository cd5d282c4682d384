import { describe, expect, it } from 'vitest';
import type { Db } from '$lib/server/db';
import { replyAddress } from '$lib/server/notifications/compose';
import { addRecipient, makeProject, makeTicket } from '$lib/server/test/factories';
import { buildMail, DOMAIN, envelope, fixture, testPipeline, uid } from '$lib/server/test/inbound';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { view } from '$lib/server/staff/view';
import { splitToken } from '$lib/server/tokens';

const { db } = testDb();
const { pipeline } = testPipeline(db, { CREATE_LIMIT_PER_EMAIL: '2' });

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
		const outcome = await pipeline.receive(fixture('gmail-reply.eml', to, uid()), envelope(to));
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
		expect((await pipeline.receive(raw, envelope(to))).kind).toBe('stored');
		expect((await pipeline.receive(raw, envelope(to))).kind).toBe('duplicate');
		const noId = await buildMail({ from: 'x@example.org', to, subject: 'hi', text: 'no id here' });
		const stripped = new TextDecoder().decode(noId).replace(/^Message-ID:.*\r\n/im, '');
		const bytes = new TextEncoder().encode(stripped);
		expect((await pipeline.receive(bytes, envelope(to))).kind).toBe('stored');
		expect((await pipeline.receive(bytes, envelope(to))).kind).toBe('duplicate');
		// Two racing deliveries: one stored, one duplicate.
		const race = fixture('apple-mail-reply.eml', to, uid());
		const both = await Promise.all([
			pipeline.receive(race, envelope(to)),
			pipeline.receive(race, envelope(to))
		]);
		expect(both.map((o) => o.kind).sort()).toEqual(['duplicate', 'stored']);
		const bodies = (await messagesOf(db, ticket.id)).map((m) => m.body);
		expect(bodies.filter((b) => b.includes('floor 3'))).toHaveLength(1);
		expect(bodies.filter((b) => b === 'no id here')).toHaveLength(1);
		expect(bodies.filter((b) => b.startsWith('Same here'))).toHaveLength(1);
	});

	it('attachments and cid inline images go through the attachment pipeline; a disallowed type is noted, the text kept', async () => {
		const { ticket, to } = await ticketWithCc();
		const raw = await buildMail({
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
		expect((await pipeline.receive(raw, envelope(to))).kind).toBe('stored');
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

		const exe = await buildMail({
			from: 'rita@example.com',
			to,
			subject: 'Re: tool',
			text: 'Try this tool.',
			attachments: [{ filename: 'tool.exe', content: Buffer.from('MZ\x90\x00\x03\x00\x00\x00') }]
		});
		expect((await pipeline.receive(exe, envelope(to))).kind).toBe('stored');
		const last = (await messagesOf(db, ticket.id)).at(-1)!;
		expect(last.body).toMatch(/^Try this tool\.\n\n\[Attachments were not added: .+\]$/);
	});

	it('auto-replies and bounces never post, reopen or notify: one internal event for staff at most', async () => {
		const { ticket, to } = await ticketWithCc('resolved');
		const oof = await pipeline.receive(
			fixture('outlook-out-of-office.eml', to, uid()),
			envelope(to)
		);
		expect(oof).toMatchObject({ kind: 'dropped' });
		const dsn = await pipeline.receive(fixture('dsn-bounce.eml', to, uid()), envelope(to, null));
		expect(dsn).toMatchObject({ kind: 'dropped' });
		for (const [header, value] of [
			['Precedence', 'bulk'],
			['X-Autoreply', 'yes'],
			['X-Autorespond', 'Vacation']
		]) {
			const raw = await buildMail({
				from: 'a@example.org',
				to,
				subject: 'away',
				text: 'I am away',
				headers: { [header]: value }
			});
			expect((await pipeline.receive(raw, envelope(to))).kind).toBe('dropped');
		}
		const daemon = await buildMail({ from: 'x@example.org', to, subject: 's', text: 'bounce' });
		expect(
			(await pipeline.receive(daemon, envelope(to, 'MAILER-DAEMON@mx.example.org'))).kind
		).toBe('dropped');
		// Auto-Submitted: no is a human's mail.
		const human = await buildMail({
			from: 'a@example.org',
			to,
			subject: 's',
			text: 'I am human',
			headers: { 'Auto-Submitted': 'no' }
		});
		expect((await pipeline.receive(human, envelope(to))).kind).toBe('stored');
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
		const one = await buildMail({ from: 'a@example.org', to, subject: 's', text: 'first' });
		const two = await buildMail({ from: 'a@example.org', to, subject: 's', text: 'second' });
		expect((await tight.receive(one, envelope(to))).kind).toBe('stored');
		await expect(tight.receive(two, envelope(to))).rejects.toMatchObject({
			name: 'InboundDeferred'
		});
	});
});
