import { describe, expect, it } from 'vitest';
import { makeTicket } from '$lib/server/test/factories';
import { testDb } from '$lib/server/test/test-db';
import * as tickets from './index';

const { db } = testDb();

describe('tickets.get', () => {
	it('finds a ticket by id and nothing for an unknown id', async () => {
		const { ticket } = await makeTicket(db);
		expect(await tickets.get(db, ticket.id)).toEqual(ticket);
		expect(await tickets.get(db, ticket.id + 1000)).toBeUndefined();
	});
});

describe('tickets.addEvent', () => {
	it('adds a public event by default and an internal one with its body when asked', async () => {
		const { ticket } = await makeTicket(db);
		const at = 1_700_000_000_000;
		const open = await tickets.addEvent(db, { ticketId: ticket.id, name: 'reopened' }, at);
		const typed = await tickets.addEvent(db, {
			ticketId: ticket.id,
			name: 'type_changed',
			visibility: 'internal',
			body: 'Type changed to Bug by Sam'
		});
		const events = await db
			.selectFrom('messages')
			.selectAll()
			.where('ticket_id', '=', ticket.id)
			.where('kind', '=', 'event')
			.orderBy('id')
			.execute();
		expect(events.map((e) => [e.id, e.event, e.visibility, e.body])).toEqual([
			[open, 'reopened', 'public', ''],
			[typed, 'type_changed', 'internal', 'Type changed to Bug by Sam']
		]);
		expect(events[0]).toMatchObject({ author_name: '', created_at: at, author_staff_id: null });
		expect(events[0].public_id).not.toBe(events[1].public_id);
	});
});
