import { describe, expect, it } from 'vitest';
import { addRecipient, makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as threads from '$lib/server/threads';
import { splitToken } from '$lib/server/tokens';
import { isMailableAddress } from './address';
import * as subscriptions from './subscriptions';

const { db } = testDb();
const unsubToken = (publicId: string, v = 1) => splitToken(TEST_SECRET, 'unsubscribe', publicId, v);

describe('subscriptions', () => {
	it('resolves only the recipient’s own unsubscribe token', async () => {
		const { ticket, reporter } = await makeTicket(db);
		const cc = await addRecipient(db, ticket.id, 'cc@example.com');
		expect(
			(await subscriptions.findByToken(db, TEST_SECRET, unsubToken(reporter.public_id)))?.id
		).toBe(reporter.id);
		expect((await subscriptions.findByToken(db, TEST_SECRET, unsubToken(cc.public_id)))?.id).toBe(
			cc.id
		);
		// A thread token is not an unsubscribe token, and a re-issued (old version) one is dead.
		expect(
			await subscriptions.findByToken(
				db,
				TEST_SECRET,
				splitToken(TEST_SECRET, 'thread', cc.public_id, 1)
			)
		).toBeUndefined();
		expect(
			await subscriptions.findByToken(db, TEST_SECRET, unsubToken(cc.public_id, 2))
		).toBeUndefined();
		const [sel] = unsubToken(cc.public_id).split('.');
		expect(
			await subscriptions.findByToken(db, TEST_SECRET, `${sel}.${'a'.repeat(32)}`)
		).toBeUndefined();
		expect(await subscriptions.findByToken(db, TEST_SECRET, 'garbage')).toBeUndefined();
		await db
			.updateTable('ticket_recipients')
			.set({ revoked_at: Date.now() })
			.where('id', '=', cc.id)
			.execute();
		expect(
			await subscriptions.findByToken(db, TEST_SECRET, unsubToken(cc.public_id))
		).toBeUndefined();
	});

	it('unsubscribes idempotently, cancels queued mail, keeps the thread link working, and resubscribes', async () => {
		const { ticket, reporter } = await makeTicket(db);
		const first = await subscriptions.unsubscribe(db, reporter, 1000);
		expect(first.subscribed).toBe(false);
		const again = await subscriptions.unsubscribe(db, reporter, 2000);
		expect(again.recipient.unsubscribed_at).toBe(1000);
		const row = await db
			.selectFrom('outbound_emails')
			.selectAll()
			.where('ticket_id', '=', ticket.id)
			.executeTakeFirstOrThrow();
		expect(row.status).toBe('cancelled');
		const audits = await db
			.selectFrom('audit_events')
			.select('action')
			.where('ticket_id', '=', ticket.id)
			.execute();
		expect(audits.filter((a) => a.action === 'recipient.unsubscribed')).toHaveLength(1);
		const thread = await threads.findByToken(
			db,
			TEST_SECRET,
			splitToken(TEST_SECRET, 'thread', reporter.public_id, 1)
		);
		expect(thread?.recipient.id).toBe(reporter.id);
		expect((await subscriptions.resubscribe(db, reporter)).subscribed).toBe(true);
		expect((await subscriptions.resubscribe(db, reporter)).subscribed).toBe(true);
	});
});

describe('isMailableAddress', () => {
	it('accepts plain addresses', () => {
		for (const a of [
			'a@example.com',
			'first.last+tag@sub.example.co.uk',
			"o'hara@example.ie",
			'x_y-z@xn--bcher-kva.example'
		]) {
			expect(isMailableAddress(a), a).toBe(true);
		}
	});
	it('refuses quoted local parts, comments, display names, line breaks and odd shapes', () => {
		for (const a of [
			'"a b"@example.com',
			'"a"@example.com',
			'a(comment)@example.com',
			'a@example.com (comment)',
			'Name <a@example.com>',
			'a@example.com\r\nBcc: b@example.com',
			'a@example.com\n',
			' a@example.com',
			'a@b@example.com',
			'a..b@example.com',
			'.a@example.com',
			'a@localhost',
			'a@[127.0.0.1]',
			'a@1.2.3.4',
			'a@-example.com',
			'a,b@example.com',
			'ä@example.com',
			`${'a'.repeat(65)}@example.com`
		]) {
			expect(isMailableAddress(a), JSON.stringify(a)).toBe(false);
		}
	});
});
