import * as tags from '$lib/server/tags';
import * as tickets from '$lib/server/tickets';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { makeAgent } from '$lib/server/test/staff-agent';
import { testDb } from '$lib/server/test/test-db';
import { describe, expect, it } from 'vitest';
import * as staff from '.';

const { db } = testDb();

async function many(n: number, projectId: number) {
	const out = [];
	for (let i = 0; i < n; i++)
		out.push((await makeTicket(db, { projectId, title: `T${i}` })).ticket);
	return out;
}
const expected = (rows: { id: number; project_id: number }[]) =>
	new Map(rows.map((t) => [t.id, t.project_id]));
const snapshot = (ids: number[]) =>
	db
		.selectFrom('tickets')
		.select(['status', 'assignee_id'])
		.where('id', 'in', ids)
		.orderBy('id')
		.execute();

describe('bulk actions', () => {
	it('changes 25 tickets in one action, with an event on each', async () => {
		const me = await makeAgent(db, { name: 'Ada' });
		const bob = await makeAgent(db, { name: 'Bob' });
		const p = await makeProject(db);
		const rows = await many(25, p.id);
		const ids = rows.map((t) => t.id);
		const n = await staff.bulk.apply(db, {
			expected: expected(rows),
			change: { kind: 'status', status: 'resolved' },
			actor: me
		});
		expect(n).toBe(25);
		expect((await snapshot(ids)).every((t) => t.status === 'resolved')).toBe(true);
		await staff.bulk.apply(db, {
			expected: expected(rows),
			change: { kind: 'assignee', assigneeId: bob.id },
			actor: me
		});
		const events = await db
			.selectFrom('messages')
			.select(['ticket_id', 'event'])
			.where('ticket_id', 'in', ids)
			.where('kind', '=', 'event')
			.execute();
		expect(events.filter((e) => e.event === 'resolved')).toHaveLength(25);
		expect(events.filter((e) => e.event === 'assigned')).toHaveLength(25);
	});

	it('a disabled assignee or a ticket that moved project changes none and says why', async () => {
		const me = await makeAgent(db);
		const gone = await makeAgent(db, { name: 'Gone Agent' });
		await db.updateTable('staff_users').set({ disabled_at: 1 }).where('id', '=', gone.id).execute();
		const p = await makeProject(db);
		const rows = await many(3, p.id);
		const before = await snapshot(rows.map((t) => t.id));
		await expect(
			staff.bulk.apply(db, {
				expected: expected(rows),
				change: { kind: 'assignee', assigneeId: gone.id },
				actor: me
			})
		).rejects.toThrow(/Gone Agent's account is disabled.*Nothing was changed/);
		const other = await makeProject(db);
		await db
			.updateTable('tickets')
			.set({ project_id: other.id })
			.where('id', '=', rows[2].id)
			.execute();
		await expect(
			staff.bulk.apply(db, {
				expected: expected(rows),
				change: { kind: 'status', status: 'rejected' },
				actor: me
			})
		).rejects.toThrow('“T2” moved to another project');
		expect(await snapshot(rows.map((t) => t.id))).toEqual(before);
		const events = await db
			.selectFrom('messages')
			.select('id')
			.where(
				'ticket_id',
				'in',
				rows.map((t) => t.id)
			)
			.where('kind', '=', 'event')
			.execute();
		expect(events).toHaveLength(0);
	});

	it('adds and removes a tag in bulk; the inbox shows and filters by it', async () => {
		const me = await makeAgent(db);
		const p = await makeProject(db, { key: 'tagsp' });
		const rows = await many(3, p.id);
		const two = rows.slice(0, 2);
		await staff.bulk.apply(db, {
			expected: expected(two),
			change: { kind: 'addTag', tag: '  Billing  ' },
			actor: me
		});
		let r = await staff.inbox(db, me.id, { tag: 'billing' });
		expect(r.rows.map((t) => t.title).sort()).toEqual(['T0', 'T1']);
		expect(r.rows[0].tags).toEqual(['billing']);
		expect(await tags.names(db, p.id)).toEqual(['billing']);
		await staff.bulk.apply(db, {
			expected: expected(rows.slice(1, 2)),
			change: { kind: 'removeTag', tag: 'billing' },
			actor: me
		});
		r = await staff.inbox(db, me.id, { tag: 'billing' });
		expect(r.rows.map((t) => t.title)).toEqual(['T0']);
		// The tag filter keeps the inbox's order as activity changes (the copied activity follows).
		await staff.bulk.apply(db, {
			expected: expected(rows.slice(1, 3)),
			change: { kind: 'addTag', tag: 'billing' },
			actor: me
		});
		await staff.write(
			db,
			{ ticketId: rows[0].id, actor: me, body: 'Bump', internal: true },
			Date.now() + 60_000
		);
		r = await staff.inbox(db, me.id, { tag: 'billing' });
		expect(r.rows.map((t) => t.title)).toEqual(['T0', 'T2', 'T1']);
		await staff.bulk.apply(db, {
			expected: expected(rows.slice(1, 3)),
			change: { kind: 'removeTag', tag: 'billing' },
			actor: me
		});
		await expect(tags.add(db, { ticketId: rows[2].id, tag: '   ', actor: me })).rejects.toThrow(
			'Enter a tag.'
		);
		expect(await tags.add(db, { ticketId: rows[2].id, tag: 'vip', actor: me })).toBe(true);
		expect(await tags.add(db, { ticketId: rows[2].id, tag: 'VIP', actor: me })).toBe(false);
		expect((await tags.ofTickets(db, [rows[2].id])).get(rows[2].id)).toEqual(['vip']);
	});

	it('refuses a type the project of one ticket lacks', async () => {
		const me = await makeAgent(db);
		const p = await makeProject(db);
		const rows = await many(2, p.id);
		await expect(
			staff.bulk.apply(db, {
				expected: expected(rows),
				change: { kind: 'type', type: 'no-such-type' },
				actor: me
			})
		).rejects.toThrow('without that type');
		expect(await tickets.get(db, rows[0].id)).toMatchObject({
			ticket_type_id: rows[0].ticket_type_id
		});
	});
});
