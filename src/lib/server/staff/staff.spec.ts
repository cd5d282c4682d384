import * as threads from '$lib/server/threads';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { splitToken } from '$lib/server/tokens';
import { describe, expect, it } from 'vitest';
import * as staffMail from '$lib/server/notifications/staff';
import * as staff from '.';
import { makeAgent } from '$lib/server/test/staff-agent';

const { db } = testDb();

const agent = (email?: string) => makeAgent(db, { email });
const mail = (ticketId: number) =>
	db
		.selectFrom('outbound_emails')
		.selectAll()
		.where('ticket_id', '=', ticketId)
		.orderBy('id')
		.execute();

describe('inbox', () => {
	it('filters by project, status and search, newest activity first, with an unread marker', async () => {
		const me = await agent();
		const p = await makeProject(db, { key: 'inboxp' });
		const a = await makeTicket(db, {
			projectId: p.id,
			title: 'Alpha login fails',
			reporterEmail: 'alice@example.com'
		});
		const b = await makeTicket(db, {
			projectId: p.id,
			title: 'Beta export',
			reporterEmail: 'bob@example.com'
		});
		await makeTicket(db, { title: 'Elsewhere' });
		await db
			.updateTable('tickets')
			.set({ last_activity_at: Date.now() + 1000 })
			.where('id', '=', a.ticket.id)
			.execute();
		let r = await staff.inbox(db, me.id, { project: 'inboxp' });
		expect(r.rows.map((t) => t.title)).toEqual(['Alpha login fails', 'Beta export']);
		expect(r.rows.every((t) => t.unread)).toBe(true);
		r = await staff.inbox(db, me.id, { q: 'bob@' });
		expect(r.rows.map((t) => t.title)).toEqual(['Beta export']);
		r = await staff.inbox(db, me.id, { q: '100%_"\'' });
		expect(r.total).toBe(0);
		await staff.markRead(db, me.id, b.ticket.id, Date.now() + 5000);
		r = await staff.inbox(db, me.id, { project: 'inboxp' });
		expect(r.rows.find((t) => t.title === 'Beta export')?.unread).toBe(false);
		await staff.setStatus(db, { ticketId: b.ticket.id, actor: me, status: 'resolved' });
		expect(
			(await staff.inbox(db, me.id, { project: 'inboxp', status: 'active' })).rows.map(
				(t) => t.title
			)
		).toEqual(['Alpha login fails']);
	});

	it('counts up to the cap, then says "more" and still pages through every ticket', async () => {
		const me = await agent();
		const p = await makeProject(db, { key: 'inboxcap' });
		const n = staff.COUNT_CAP + 30;
		const rows = Array.from({ length: n }, (_, i) => ({
			thread_key: `cap-${i}`,
			project_id: p.id,
			title: `Capped ${i}`,
			description: 'd',
			reporter_email: `cap-${i}@example.com`,
			created_at: i,
			updated_at: i,
			last_activity_at: i
		}));
		for (let i = 0; i < n; i += 200)
			await db
				.insertInto('tickets')
				.values(rows.slice(i, i + 200))
				.execute();
		let r = await staff.inbox(db, me.id, { project: 'inboxcap' });
		expect(r).toMatchObject({ total: staff.COUNT_CAP, capped: true, page: 1 });
		expect(r.pages).toBeGreaterThan(r.page);
		expect(r.rows[0].title).toBe(`Capped ${n - 1}`);
		// The last page lies past the cap: asking for it counts that far and shows its rows.
		const last = Math.ceil(n / staff.PAGE_SIZE);
		r = await staff.inbox(db, me.id, { project: 'inboxcap', page: last });
		expect(r).toMatchObject({ total: n, capped: false, page: last, pages: last });
		expect(r.rows.at(-1)?.title).toBe('Capped 0');
		r = await staff.inbox(db, me.id, { project: 'inboxcap', q: `Capped ${n - 1}` });
		expect(r).toMatchObject({ total: 1, capped: false, pages: 1 });
	});
});

describe('ticket actions', () => {
	it('a public reply mails every recipient; an internal note mails nobody and stays off the thread', async () => {
		const me = await agent();
		const { ticket, reporter } = await makeTicket(db);
		const before = (await mail(ticket.id)).length;
		await staff.write(db, {
			ticketId: ticket.id,
			actor: me,
			body: 'Internal only',
			internal: true
		});
		expect((await mail(ticket.id)).length).toBe(before);
		await staff.write(db, {
			ticketId: ticket.id,
			actor: me,
			body: 'Hello from support',
			internal: false
		});
		const after = await mail(ticket.id);
		expect(after.at(-1)).toMatchObject({ kind: 'staff_reply', recipient_id: reporter.id });
		const thread = (await threads.findByToken(
			db,
			TEST_SECRET,
			splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version)
		))!;
		const bodies = (await threads.conversation(db, thread)).map((m) => m.body);
		expect(bodies).toContain('Hello from support');
		expect(bodies).not.toContain('Internal only');
		const view = (await staff.view(db, ticket.id))!;
		expect(view.messages.find((m) => m.body === 'Internal only')?.internal).toBe(true);
	});

	it('status changes add an event and notify; recipients can be added, revoked and re-issued', async () => {
		const me = await agent();
		const { ticket, reporter } = await makeTicket(db);
		expect(await staff.setStatus(db, { ticketId: ticket.id, actor: me, status: 'resolved' })).toBe(
			true
		);
		expect(await staff.setStatus(db, { ticketId: ticket.id, actor: me, status: 'resolved' })).toBe(
			false
		);
		expect((await mail(ticket.id)).at(-1)).toMatchObject({ kind: 'status_changed' });
		await staff.addRecipient(db, { ticketId: ticket.id, actor: me, email: 'CC@Example.com' });
		await expect(
			staff.addRecipient(db, { ticketId: ticket.id, actor: me, email: 'cc@example.com' })
		).rejects.toThrow(/already/);
		const oldToken = splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version);
		await staff.recipientLink(db, {
			ticketId: ticket.id,
			actor: me,
			recipient: reporter.public_id,
			action: 'revoke'
		});
		expect(await threads.findByToken(db, TEST_SECRET, oldToken)).toBeUndefined();
		await staff.recipientLink(db, {
			ticketId: ticket.id,
			actor: me,
			recipient: reporter.public_id,
			action: 'reissue'
		});
		expect(await threads.findByToken(db, TEST_SECRET, oldToken)).toBeUndefined();
		expect(
			await threads.findByToken(
				db,
				TEST_SECRET,
				splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version + 1)
			)
		).toBeDefined();
	});

	it('watchers get mail on a new ticket and a reporter reply, not on their own actions', async () => {
		const me = await agent();
		const p = await makeProject(db);
		await staffMail.setWatch(db, me.id, p.id, true);
		const { ticket, reporter } = await makeTicket(db, { projectId: p.id });
		const thread = (await threads.findByToken(
			db,
			TEST_SECRET,
			splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version)
		))!;
		await threads.reply(db, thread, { body: 'More info' });
		const kinds = (await mail(ticket.id))
			.filter((m) => m.staff_user_id === me.id)
			.map((m) => m.kind);
		expect(kinds).toEqual(['staff_ticket_created', 'staff_recipient_reply']);
	});
});
