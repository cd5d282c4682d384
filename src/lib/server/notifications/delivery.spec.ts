import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '$lib/server/db';
import { createLogger } from '$lib/server/log';
import { addRecipient, makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { publicId } from '$lib/server/tokens';
import { enqueue } from './outbox';
import { createComposer, createOutbox, smtpTransport } from './index';
import * as queue from './queue';
import { startTestSmtp, type TestSmtp } from '$lib/server/test/smtp-server';

const { db } = testDb();
const log = createLogger('silent');
const compose = createComposer({
	origin: 'http://localhost:3000',
	mailFrom: 'help@example.com',
	secret: TEST_SECRET
});
let smtp: TestSmtp;
beforeAll(async () => void (smtp = await startTestSmtp()));
afterAll(() => smtp.close());
beforeEach(() => void (smtp.received.length = 0));

const outboxFor = (d: Db) =>
	createOutbox({
		db: d,
		transport: smtpTransport(smtp.url),
		compose,
		log,
		pollMs: 60_000,
		backoff: () => 0
	});
const rowOf = (ticketId: number) =>
	db
		.selectFrom('outbound_emails')
		.selectAll()
		.where('ticket_id', '=', ticketId)
		.executeTakeFirstOrThrow();

describe('outbox delivery', () => {
	it('retries after the SMTP server refuses once, then sends exactly one mail', async () => {
		for (const phase of ['rcpt', 'data'] as const) {
			const { ticket, reporter } = await makeTicket(db);
			const outbox = outboxFor(db);
			smtp.refuseNext(phase, 451, 'Try again later');
			expect(await outbox.deliverDue()).toBe(0);
			expect(await rowOf(ticket.id)).toMatchObject({ status: 'pending', attempts: 1 });
			expect((await rowOf(ticket.id)).last_error).toContain('451');
			expect(smtp.received).toHaveLength(0);
			expect(await outbox.deliverDue()).toBe(1);
			expect(await rowOf(ticket.id)).toMatchObject({
				status: 'sent',
				attempts: 2,
				last_error: null
			});
			expect(smtp.received.map((r) => r.rcptTo)).toEqual([[reporter.email]]);
			expect(await outbox.deliverDue()).toBe(0);
			smtp.received.length = 0;
		}
	});

	it('waits for the backoff before the next attempt', async () => {
		const { ticket } = await makeTicket(db);
		const outbox = createOutbox({
			db,
			transport: smtpTransport(smtp.url),
			compose,
			log,
			pollMs: 60_000,
			backoff: () => 60_000
		});
		smtp.refuseNext('rcpt', 421, 'Busy');
		await outbox.deliverDue();
		const row = await rowOf(ticket.id);
		expect(row.next_attempt_at).toBeGreaterThan(Date.now() + 50_000);
		expect(await outbox.deliverDue()).toBe(0);
		expect(await outbox.deliverDue(row.next_attempt_at)).toBe(1);
	});

	it('ends a row the server rejects for good (5xx) as failed with the reason; staff can retry it', async () => {
		const { ticket, reporter } = await makeTicket(db);
		const outbox = outboxFor(db);
		smtp.refuseNext('rcpt', 550, 'No such user here');
		await outbox.deliverDue();
		const row = await rowOf(ticket.id);
		expect(row).toMatchObject({ status: 'failed', attempts: 1 });
		expect(row.last_error).toContain('550');
		const [listed] = await queue.listRecent(db, { status: 'failed' });
		expect(listed).toMatchObject({
			id: row.id,
			status: 'failed',
			to: reporter.email,
			kind: 'ticket_created'
		});
		expect((await queue.countByStatus(db)).failed).toBeGreaterThanOrEqual(1);
		expect(await queue.retry(db, row.id)).toBe(true);
		expect(await queue.retry(db, row.id)).toBe(false);
		expect(await outbox.deliverDue()).toBe(1);
		expect(await rowOf(ticket.id)).toMatchObject({ status: 'sent' });
	});

	it('gives up after the last attempt', async () => {
		const { ticket } = await makeTicket(db);
		const outbox = createOutbox({
			db,
			transport: smtpTransport(smtp.url),
			compose,
			log,
			pollMs: 60_000,
			backoff: () => 0,
			maxAttempts: 2
		});
		smtp.refuseNext('rcpt', 451, 'Later');
		smtp.refuseNext('rcpt', 451, 'Still later');
		await outbox.deliverDue();
		await outbox.deliverDue();
		expect(await rowOf(ticket.id)).toMatchObject({ status: 'failed', attempts: 2 });
		expect(smtp.received).toHaveLength(0);
	});

	it('never hands a malformed address to SMTP: the row fails with the reason', async () => {
		const { ticket } = await makeTicket(db);
		await outboxFor(db).deliverDue();
		smtp.received.length = 0;
		const bad = [
			'"a b"@example.com',
			'a(comment)@example.com',
			'x@example.com\r\nRCPT TO:<evil@example.net>',
			'Name <n@example.com>',
			'a@b@example.com'
		];
		for (const email of bad) {
			const r = await addRecipient(db, ticket.id, email);
			await enqueue(db, { kind: 'recipient_added', ticketId: ticket.id, recipientId: r.id });
		}
		await outboxFor(db).deliverDue();
		expect(smtp.received).toHaveLength(0);
		const rows = await db
			.selectFrom('outbound_emails')
			.selectAll()
			.where('ticket_id', '=', ticket.id)
			.where('kind', '=', 'recipient_added')
			.execute();
		expect(rows).toHaveLength(bad.length);
		for (const row of rows) {
			expect(row.status).toBe('failed');
			expect(row.last_error).toContain('invalid address');
		}
	});

	it('never mails Discord recipients', async () => {
		const { ticket, reporter } = await makeTicket(db, {
			source: 'discord',
			reporterEmail: 'discord-123@discord.invalid',
			discordDisplayName: 'Dee'
		});
		expect(reporter.channel).toBe('discord');
		// Their notices are queued for a Discord DM; without a Discord channel (no bot) they are
		// cancelled, never mailed.
		await enqueue(db, { kind: 'recipient_added', ticketId: ticket.id, recipientId: reporter.id });
		await outboxFor(db).deliverDue();
		expect(smtp.received).toHaveLength(0);
		const rows = await db
			.selectFrom('outbound_emails')
			.select('status')
			.where('ticket_id', '=', ticket.id)
			.execute();
		expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
	});

	it('a restart mid-queue loses and duplicates nothing', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'portal-restart-'));
		try {
			const file = join(dir, 'portal.db');
			let opened = openDatabase(file);
			const emails: string[] = [];
			for (let i = 0; i < 6; i++) {
				const { ticket } = await makeTicket(opened.db, {
					reporterEmail: `r${i}-${publicId()}@example.com`
				});
				const cc = await addRecipient(opened.db, ticket.id, `cc${i}-${publicId()}@example.com`);
				await enqueue(opened.db, {
					kind: 'recipient_added',
					ticketId: ticket.id,
					recipientId: cc.id
				});
				emails.push(
					(
						await opened.db
							.selectFrom('tickets')
							.select('reporter_email')
							.where('id', '=', ticket.id)
							.executeTakeFirstOrThrow()
					).reporter_email,
					cc.email
				);
			}
			const first = outboxFor(opened.db);
			// Stop the worker right after the fifth mail was accepted, while rows are still pending.
			const fifth = new Promise<void>((resolve) => {
				smtp.onAccepted = () => {
					if (smtp.received.length === 5) resolve(first.stop());
				};
			});
			first.start();
			await fifth;
			smtp.onAccepted = undefined;
			await opened.close();
			expect(smtp.received.length).toBe(5);

			opened = openDatabase(file);
			const pending = await opened.db
				.selectFrom('outbound_emails')
				.select('id')
				.where('status', '=', 'pending')
				.execute();
			expect(pending).toHaveLength(7);
			await outboxFor(opened.db).deliverDue();
			const got = smtp.received.map((r) => r.rcptTo[0]).sort();
			expect(got).toEqual([...emails].sort());
			const statuses = await opened.db.selectFrom('outbound_emails').select('status').execute();
			expect(statuses.every((s) => s.status === 'sent')).toBe(true);
			await opened.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
