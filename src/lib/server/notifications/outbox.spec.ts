import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '$lib/server/log';
import { makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as threads from '$lib/server/threads';
import {
	createComposer,
	createOutbox,
	emlTransport,
	type MailMessage,
	type MailTransport
} from './index';

const { db } = testDb();
const dir = mkdtempSync(join(tmpdir(), 'portal-mail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = createLogger('silent');
const compose = createComposer({
	origin: 'https://help.example.com',
	mailFrom: 'Help <help@example.com>',
	secret: TEST_SECRET
});

describe('outbox', () => {
	it('writes the confirmation as an .eml file with the reporter’s own working links', async () => {
		const { reporter } = await makeTicket(db, { title: 'Cannot log in' });
		const outbox = createOutbox({ db, transport: emlTransport(dir), compose, log, pollMs: 60_000 });
		expect(await outbox.deliverDue()).toBe(1);
		const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
		expect(files).toHaveLength(1);
		const mail = await simpleParser(readFileSync(join(dir, files[0])));
		expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain(reporter.email);
		expect(mail.subject).toContain('Cannot log in');
		expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
		const line = (key: string) =>
			mail.headerLines.find((h) => h.key === key)?.line.replace(/\r\n\s+/g, ' ');
		expect(line('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
		expect(line('list-unsubscribe')).toMatch(
			/^List-Unsubscribe: <https:\/\/help\.example\.com\/ticket\/unsubscribe\/[a-z2-7]{16}\.[a-z2-7]{32}>$/
		);
		// The confirmation is the thread's root message; it never carries the internal ticket id.
		expect(mail.messageId).toMatch(/^<ticket-[a-z2-7]+@help\.example\.com>$/);
		const link = /https:\/\/help\.example\.com\/ticket\/thread\/(\S+)/.exec(mail.text ?? '')?.[1];
		expect(link).toBeDefined();
		const thread = await threads.findByToken(db, TEST_SECRET, link!);
		expect(thread?.recipient.id).toBe(reporter.id);
		expect(mail.html).toContain('/ticket/unsubscribe/');
		// Sent once: a second pass finds nothing due.
		expect(await outbox.deliverDue()).toBe(0);
	});

	it('retries after the transport refuses, then marks the row sent', async () => {
		const { ticket } = await makeTicket(db);
		let calls = 0;
		const sent: MailMessage[] = [];
		const flaky: MailTransport = {
			kind: 'smtp',
			async send(m) {
				if (++calls === 1) throw new Error('451 try again later');
				sent.push(m);
				return { info: '250 ok' };
			},
			close() {}
		};
		const outbox = createOutbox({
			db,
			transport: flaky,
			compose,
			log,
			pollMs: 60_000,
			backoff: () => 0
		});
		await outbox.deliverDue();
		let row = await db
			.selectFrom('outbound_emails')
			.selectAll()
			.where('ticket_id', '=', ticket.id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			status: 'pending',
			attempts: 1,
			last_error: '451 try again later'
		});
		await outbox.deliverDue();
		row = await db
			.selectFrom('outbound_emails')
			.selectAll()
			.where('ticket_id', '=', ticket.id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ status: 'sent', attempts: 2 });
		expect(sent).toHaveLength(1);
	});

	it('cancels mail to an unsubscribed recipient', async () => {
		const { ticket, reporter } = await makeTicket(db);
		await db
			.updateTable('ticket_recipients')
			.set({ unsubscribed_at: Date.now() })
			.where('id', '=', reporter.id)
			.execute();
		const outbox = createOutbox({ db, transport: emlTransport(dir), compose, log, pollMs: 60_000 });
		await outbox.deliverDue();
		const row = await db
			.selectFrom('outbound_emails')
			.selectAll()
			.where('ticket_id', '=', ticket.id)
			.executeTakeFirstOrThrow();
		expect(row.status).toBe('cancelled');
	});
});
