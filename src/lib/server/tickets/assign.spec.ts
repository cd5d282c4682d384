import * as threads from '$lib/server/threads';
import * as staff from '$lib/server/staff';
import * as staffMail from '$lib/server/notifications/staff';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { makeAgent } from '$lib/server/test/staff-agent';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { splitToken } from '$lib/server/tokens';
import { describe, expect, it } from 'vitest';
import * as tickets from '.';

const { db } = testDb();

const disable = (id: number) =>
	db.updateTable('staff_users').set({ disabled_at: Date.now() }).where('id', '=', id).execute();
const eventsOf = (ticketId: number) =>
	db
		.selectFrom('messages')
		.select(['event', 'visibility', 'body'])
		.where('ticket_id', '=', ticketId)
		.where('kind', '=', 'event')
		.orderBy('id')
		.execute();

async function replyAsReporter(ticketId: number) {
	const reporter = await db
		.selectFrom('ticket_recipients')
		.selectAll()
		.where('ticket_id', '=', ticketId)
		.where('role', '=', 'reporter')
		.executeTakeFirstOrThrow();
	const token = splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version);
	const thread = (await threads.findByToken(db, TEST_SECRET, token))!;
	await threads.reply(db, thread, { body: 'Any news?' });
}

describe('assignment', () => {
	it('offers the active staff, and a disabled current assignee marked as such', async () => {
		const cat = await makeAgent(db, { name: 'Cat' });
		const dan = await makeAgent(db, { name: 'Dan' });
		await disable(dan.id);
		const names = async (current: number | null) =>
			(await tickets.assigneeOptions(db, current)).map((p) => p.name);
		expect(await names(null)).toContain('Cat');
		expect(await names(null)).not.toContain('Dan');
		expect(await names(cat.id)).not.toContain('Dan (disabled)');
		expect(await names(dan.id)).toContain('Dan (disabled)');
	});

	it('assigns, reassigns and unassigns with internal events; refuses a disabled agent', async () => {
		const ada = await makeAgent(db, { name: 'Ada' });
		const bob = await makeAgent(db, { name: 'Bob' });
		const { ticket } = await makeTicket(db);
		expect(await tickets.assign(db, { ticketId: ticket.id, assigneeId: bob.id, actor: ada })).toBe(
			true
		);
		expect(await tickets.assign(db, { ticketId: ticket.id, assigneeId: bob.id, actor: ada })).toBe(
			false
		);
		await tickets.assign(db, { ticketId: ticket.id, assigneeId: ada.id, actor: ada });
		await tickets.assign(db, { ticketId: ticket.id, assigneeId: null, actor: bob });
		expect(await eventsOf(ticket.id)).toEqual([
			{ event: 'assigned', visibility: 'internal', body: 'Assigned to Bob by Ada' },
			{ event: 'assigned', visibility: 'internal', body: 'Assigned to Ada by Ada' },
			{ event: 'unassigned', visibility: 'internal', body: 'Unassigned by Bob' }
		]);
		await disable(bob.id);
		await expect(
			tickets.assign(db, { ticketId: ticket.id, assigneeId: bob.id, actor: ada })
		).rejects.toThrow("Bob's account is disabled");
		expect((await tickets.get(db, ticket.id))?.assignee_id).toBeNull();
		expect((await tickets.assignable(db)).some((s) => s.id === bob.id)).toBe(false);
	});

	it('round-robin gives new tickets to the chosen agents in turn, skipping disabled ones', async () => {
		const [a, b, c] = [await makeAgent(db), await makeAgent(db), await makeAgent(db)];
		const p = await makeProject(db);
		await tickets.setRoundRobin(db, p.id, [a.id, b.id, c.id]);
		const owners = async (n: number) => {
			const out: (number | null)[] = [];
			for (let i = 0; i < n; i++)
				out.push((await makeTicket(db, { projectId: p.id })).ticket.assignee_id);
			return out;
		};
		expect(await owners(4)).toEqual([a.id, b.id, c.id, a.id]);
		await disable(b.id);
		expect(await owners(3)).toEqual([c.id, a.id, c.id]);
		const other = await makeProject(db);
		expect((await makeTicket(db, { projectId: other.id })).ticket.assignee_id).toBeNull();
	});

	it('round-robin stays fair when tickets are created at the same time', async () => {
		const [a, b] = [await makeAgent(db), await makeAgent(db)];
		const p = await makeProject(db);
		await tickets.setRoundRobin(db, p.id, [a.id, b.id]);
		const created = await Promise.all(
			Array.from({ length: 10 }, () => makeTicket(db, { projectId: p.id }))
		);
		const ids = created.map((c) => c.ticket.assignee_id);
		expect(ids.filter((x) => x === a.id)).toHaveLength(5);
		expect(ids.filter((x) => x === b.id)).toHaveLength(5);
	});

	it('mails the assignee about reporter replies, once, unless they turned it off', async () => {
		const ada = await makeAgent(db, { name: 'Ada' });
		const bob = await makeAgent(db, { name: 'Bob' });
		const p = await makeProject(db);
		const { ticket } = await makeTicket(db, { projectId: p.id });
		await tickets.assign(db, { ticketId: ticket.id, assigneeId: bob.id, actor: ada });
		const mailTo = async (id: number) =>
			(
				await db
					.selectFrom('outbound_emails')
					.select('kind')
					.where('ticket_id', '=', ticket.id)
					.where('staff_user_id', '=', id)
					.orderBy('id')
					.execute()
			).map((m) => m.kind);
		await replyAsReporter(ticket.id);
		expect(await mailTo(bob.id)).toEqual(['staff_assigned_reply']);
		expect(await mailTo(ada.id)).toEqual([]);
		await staffMail.setWatch(db, bob.id, p.id, true);
		await replyAsReporter(ticket.id);
		expect(await mailTo(bob.id)).toEqual(['staff_assigned_reply', 'staff_recipient_reply']);
		await staffMail.setWatch(db, bob.id, p.id, false);
		await staffMail.setNotifyAssigned(db, bob.id, false);
		await replyAsReporter(ticket.id);
		expect(await mailTo(bob.id)).toHaveLength(2);
		await staffMail.setNotifyAssigned(db, bob.id, true);
		await disable(bob.id);
		await replyAsReporter(ticket.id);
		expect(await mailTo(bob.id)).toHaveLength(2);
	});

	it('the inbox views Mine and Unassigned with counts of open tickets', async () => {
		const me = await makeAgent(db);
		const p = await makeProject(db, { key: 'viewsp' });
		const mine = await makeTicket(db, { projectId: p.id, title: 'Mine one' });
		await makeTicket(db, { projectId: p.id, title: 'Nobody' });
		await tickets.assign(db, { ticketId: mine.ticket.id, assigneeId: me.id, actor: me });
		const titles = async (view: 'mine' | 'unassigned') =>
			(await staff.inbox(db, me.id, { project: 'viewsp', view })).rows.map((r) => r.title);
		expect(await titles('mine')).toEqual(['Mine one']);
		expect(await titles('unassigned')).toEqual(['Nobody']);
		const counts = await staff.viewCounts(db, me.id);
		expect(counts.mine.n).toBe(1);
		expect(counts.all.n).toBeGreaterThanOrEqual(counts.unassigned.n + 1);
		await staff.setStatus(db, { ticketId: mine.ticket.id, actor: me, status: 'resolved' });
		expect((await staff.viewCounts(db, me.id)).mine.n).toBe(0);
	});
});
