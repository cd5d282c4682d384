import { makeProject, makeTicket } from '$lib/server/test/factories';
import { makeAgent } from '$lib/server/test/staff-agent';
import { testDb } from '$lib/server/test/test-db';
import { describe, expect, it } from 'vitest';
import * as staff from '.';

const { db } = testDb();

describe('reply conflicts', () => {
	it('lists messages others wrote after the one the form saw, never the writer’s own', async () => {
		const { ticket } = await makeTicket(db);
		const ada = await makeAgent(db, { name: 'Ada' });
		const bo = await makeAgent(db, { name: 'Bo' });
		const seen = await staff.latestMessageId(db, ticket.id);
		await staff.write(db, { ticketId: ticket.id, actor: bo, body: 'Mine', internal: true });
		expect(await staff.newerMessages(db, ticket.id, seen, bo.id)).toEqual([]);
		await staff.write(db, { ticketId: ticket.id, actor: ada, body: 'Answered!', internal: false });
		// A status change is an event, not a message: it does not count.
		await staff.setStatus(db, { ticketId: ticket.id, actor: ada, status: 'waiting' });
		const newer = await staff.newerMessages(db, ticket.id, seen, bo.id);
		expect(newer.map((m) => [m.author, m.body])).toEqual([['Ada', 'Answered!']]);
		expect(await staff.latestMessageId(db, ticket.id)).toBe(newer[0].id);
		expect(await staff.newerMessages(db, ticket.id, newer[0].id, bo.id)).toEqual([]);
	});
});

describe('reporter context', () => {
	it('lists the reporter’s other tickets (same address) with status and project', async () => {
		const p = await makeProject(db, { name: 'Billing' });
		const email = `ctx-${Date.now()}@example.com`;
		const one = await makeTicket(db, { projectId: p.id, reporterEmail: email, title: 'First' });
		const two = await makeTicket(db, { reporterEmail: email, title: 'Second' });
		await makeTicket(db, { title: 'Someone else' });
		const list = await staff.reporterTickets(db, { id: two.ticket.id, reporterEmail: email });
		expect(list).toEqual([
			expect.objectContaining({
				id: one.ticket.id,
				title: 'First',
				status: 'open',
				project: 'Billing'
			})
		]);
	});
});
