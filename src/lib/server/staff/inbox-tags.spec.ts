import * as tags from '$lib/server/tags';
import * as tickets from '$lib/server/tickets';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { makeAgent } from '$lib/server/test/staff-agent';
import { testDb } from '$lib/server/test/test-db';
import { describe, expect, it } from 'vitest';
import * as staff from '.';

const { db } = testDb();

const titles = async (me: number, filter: staff.InboxFilter) => {
	const r = await staff.inbox(db, me, filter);
	expect(r.total).toBe(r.rows.length);
	return r.rows.map((t) => t.title);
};

describe('inbox filtered by a tag and a view or status', () => {
	it('follows the tickets’ assignee, status and activity, whenever they change', async () => {
		const me = await makeAgent(db);
		const other = await makeAgent(db);
		const p = await makeProject(db, { key: 'tagview' });
		const made = [];
		for (const title of ['Mine open', 'Nobody’s resolved', 'Other’s waiting', 'Untagged'])
			made.push((await makeTicket(db, { projectId: p.id, title })).ticket.id);
		const [a, b, c, d] = made;
		await tickets.assign(db, { ticketId: a, assigneeId: me.id, actor: me });
		await staff.setStatus(db, { ticketId: b, actor: me, status: 'resolved' });
		await staff.setStatus(db, { ticketId: c, actor: me, status: 'waiting' });
		await staff.setStatus(db, { ticketId: d, actor: me, status: 'waiting' });
		await db.updateTable('tickets').set({ last_activity_at: 1000 }).where('id', '=', b).execute();
		await db.updateTable('tickets').set({ last_activity_at: 3000 }).where('id', '=', a).execute();
		await db.updateTable('tickets').set({ last_activity_at: 2000 }).where('id', '=', c).execute();
		// Tagged after the assignment and the status changes: the tag's row starts with both.
		for (const t of [a, b]) await tags.add(db, { ticketId: t, tag: 'VIP', actor: me });
		await tickets.assign(db, { ticketId: d, assigneeId: me.id, actor: me });
		// Tagged before: the tag's row follows the later changes.
		await tags.add(db, { ticketId: c, tag: 'vip', actor: me });
		await tickets.assign(db, { ticketId: c, assigneeId: other.id, actor: me });

		expect(await titles(me.id, { tag: 'vip' })).toEqual([
			'Mine open',
			'Other’s waiting',
			'Nobody’s resolved'
		]);
		expect(await titles(me.id, { tag: 'vip', view: 'mine' })).toEqual(['Mine open']);
		expect(await titles(me.id, { tag: 'vip', view: 'unassigned' })).toEqual(['Nobody’s resolved']);
		expect(await titles(me.id, { tag: 'vip', status: 'active' })).toEqual([
			'Mine open',
			'Other’s waiting'
		]);
		expect(await titles(me.id, { tag: 'vip', status: 'waiting' })).toEqual(['Other’s waiting']);
		expect(await titles(me.id, { tag: 'vip', view: 'mine', status: 'resolved' })).toEqual([]);
		expect(await titles(me.id, { tag: 'vip', view: 'unassigned', status: 'resolved' })).toEqual([
			'Nobody’s resolved'
		]);

		// Reassigned, reopened and bumped: every copy follows its ticket.
		await tickets.assign(db, { ticketId: b, assigneeId: me.id, actor: me });
		await staff.setStatus(db, { ticketId: b, actor: me, status: 'open' });
		await db.updateTable('tickets').set({ last_activity_at: 9000 }).where('id', '=', b).execute();
		await tickets.assign(db, { ticketId: a, assigneeId: null, actor: me });
		expect(await titles(me.id, { tag: 'vip', view: 'mine', status: 'active' })).toEqual([
			'Nobody’s resolved'
		]);
		expect(await titles(me.id, { tag: 'vip', view: 'unassigned' })).toEqual(['Mine open']);
		expect(await titles(me.id, { tag: 'vip', status: 'active', q: 'MINE' })).toEqual(['Mine open']);
		expect(await titles(me.id, { tag: 'vip', project: 'tagview', view: 'mine' })).toEqual([
			'Nobody’s resolved'
		]);
		// A deleted assignee leaves the copies unassigned too.
		await db.deleteFrom('staff_users').where('id', '=', other.id).execute();
		expect(await titles(me.id, { tag: 'vip', view: 'unassigned', status: 'waiting' })).toEqual([
			'Other’s waiting'
		]);
	});

	it('counts a tag with a view, and the views, up to the cap, then says "more"', async () => {
		const me = await makeAgent(db);
		const p = await makeProject(db, { key: 'tagcap' });
		const tag = await db
			.insertInto('tags')
			.values({ project_id: p.id, name: 'many', created_at: 0 })
			.returning('id')
			.executeTakeFirstOrThrow();
		const n = staff.COUNT_CAP + 5;
		for (let i = 0; i < n; i += 200) {
			const ids = await db
				.insertInto('tickets')
				.values(
					Array.from({ length: Math.min(200, n - i) }, (_, j) => ({
						thread_key: `tagcap-${i + j}`,
						project_id: p.id,
						title: `Many ${i + j}`,
						description: 'd',
						reporter_email: `tagcap-${i + j}@example.com`,
						assignee_id: me.id,
						created_at: i + j,
						updated_at: i + j,
						last_activity_at: i + j
					}))
				)
				.returning(['id', 'last_activity_at'])
				.execute();
			await db
				.insertInto('ticket_tags')
				.values(
					ids.map((t) => ({
						ticket_id: t.id,
						tag_id: tag.id,
						name: 'many',
						last_activity_at: t.last_activity_at,
						status: 'open' as const,
						assignee_id: me.id
					}))
				)
				.execute();
		}
		for (const filter of [{}, { view: 'mine' as const }, { status: 'active' as const }]) {
			const r = await staff.inbox(db, me.id, { tag: 'many', ...filter });
			expect(r).toMatchObject({ total: staff.COUNT_CAP, capped: true, page: 1 });
			expect(r.rows[0].title).toBe(`Many ${n - 1}`);
		}
		// The view counts cap the same way (all of them are this agent's open tickets).
		expect((await staff.viewCounts(db, me.id)).mine).toEqual({ n: staff.COUNT_CAP, capped: true });
		const none = await staff.inbox(db, me.id, { tag: 'many', view: 'unassigned' });
		expect(none).toMatchObject({ total: 0, capped: false, pages: 1, rows: [] });
		const last = Math.ceil(n / staff.PAGE_SIZE);
		const end = await staff.inbox(db, me.id, { tag: 'many', view: 'mine', page: last });
		expect(end).toMatchObject({ total: n, capped: false, page: last, pages: last });
		expect(end.rows.at(-1)?.title).toBe('Many 0');
	});
});
