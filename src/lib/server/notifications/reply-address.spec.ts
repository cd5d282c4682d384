import MailComposer from 'nodemailer/lib/mail-composer';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import type { OutboundEmail } from '$lib/server/db/schema';
import { transaction } from '$lib/server/db/transaction';
import * as recipients from '$lib/server/recipients';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { createComposer, type MailMessage } from './index';
import { queueInboundNotice } from './inbound-notice';

const { db } = testDb();
const settings = {
	origin: 'https://help.example.com',
	mailFrom: 'help@example.com',
	secret: TEST_SECRET
};
const withDomain = createComposer({ ...settings, inboundDomain: 'support.example.com' });
const without = createComposer(settings);

async function parsed(message: MailMessage) {
	const raw = await new Promise<Buffer>((res, rej) =>
		new MailComposer(message).compile().build((e, m) => (e ? rej(e) : res(m)))
	);
	return PostalMime.parse(raw);
}

const firstRow = (ticketId: number) =>
	db
		.selectFrom('outbound_emails')
		.selectAll()
		.where('ticket_id', '=', ticketId)
		.orderBy('id')
		.executeTakeFirstOrThrow();

describe('reply addresses on recipient mail', () => {
	it('with INBOUND_DOMAIN: Reply-To is the recipient’s own reply+token address, the wording invites a reply', async () => {
		const { ticket, reporter } = await makeTicket(db);
		const row = await firstRow(ticket.id);
		const mail = await parsed((await withDomain(db, row)) as MailMessage);
		const replyTo = mail.replyTo?.[0];
		expect(replyTo && 'address' in replyTo ? replyTo.address : null).toMatch(
			/^reply\+[a-z2-7]{16}\.[a-z2-7]{32}@support\.example\.com$/
		);
		const token = (replyTo as { address: string }).address.slice(6).split('@')[0];
		expect(token.split('.')[0]).toBe(reporter.public_id);
		// The reply token is not a thread token, and the thread token is not a reply token.
		expect(await recipients.findByToken(db, TEST_SECRET, 'reply-mail', token)).toMatchObject({
			id: reporter.id
		});
		expect(await recipients.findByToken(db, TEST_SECRET, 'thread', token)).toBeUndefined();
		const threadToken = /\/ticket\/thread\/([a-z2-7.]+)/.exec(mail.text!)![1];
		expect(
			await recipients.findByToken(db, TEST_SECRET, 'reply-mail', threadToken)
		).toBeUndefined();
		expect(mail.text).toContain(
			`Reply to this email or open your ticket: https://help.example.com/ticket/thread/${threadToken}`
		);
		expect(mail.html).toContain('Reply to this email or open your ticket:');
		// Our own threading headers stay.
		expect(mail.messageId).toBe(`<ticket-${ticket.thread_key}@help.example.com>`);
	});

	it('without INBOUND_DOMAIN nothing changes: no Reply-To, the old wording', async () => {
		const { ticket } = await makeTicket(db);
		const mail = await parsed((await without(db, await firstRow(ticket.id))) as MailMessage);
		expect(mail.replyTo).toBeUndefined();
		expect(mail.text).not.toContain('Reply to this email');
		expect(mail.text).toContain('View your ticket: https://help.example.com/ticket/thread/');
	});

	it('a Discord recipient gets no reply address', async () => {
		const { ticket } = await makeTicket(db, {
			source: 'discord',
			discordUserId: '123456789012345678',
			discordDisplayName: 'Rita'
		});
		// No Discord channel configured: the row is not mailed at all.
		expect(await withDomain(db, await firstRow(ticket.id))).toBeNull();
	});

	it('the intake-only notice goes to the envelope sender as an auto-reply with no Reply-To', async () => {
		const project = await makeProject(db, { name: 'Closed Co' });
		await transaction(db, (tx) =>
			queueInboundNotice(tx, { to: 'someone@example.net', projectId: project.id })
		);
		const row = (await db
			.selectFrom('outbound_emails')
			.selectAll()
			.where('kind', '=', 'inbound_notice')
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow()) as OutboundEmail;
		const mail = await parsed((await withDomain(db, row)) as MailMessage);
		expect(mail.to?.map((a) => ('address' in a ? a.address : ''))).toEqual(['someone@example.net']);
		expect(mail.replyTo).toBeUndefined();
		expect(mail.headers.find((h) => h.key === 'auto-submitted')?.value).toBe('auto-replied');
		expect(mail.subject).toBe('[Closed Co] Your email did not open a ticket');
		expect(mail.text).toContain(`https://help.example.com/ticket/${project.key}`);
	});
});
