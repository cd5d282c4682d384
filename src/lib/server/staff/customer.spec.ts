import { DomainError } from '$lib/server/errors';
import * as customers from '$lib/server/customers';
import * as threads from '$lib/server/threads';
import { makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { splitToken } from '$lib/server/tokens';
import { describe, expect, it } from 'vitest';
import * as staff from '.';
import { makeAgent } from '$lib/server/test/staff-agent';

const { db } = testDb();

describe('link a ticket to a customer', () => {
	it('links, relinks and unlinks, shows in the inbox filter, and records an internal event only', async () => {
		const me = await makeAgent(db, { email: 'linker@example.com', name: 'Lin Ker' });
		const acme = await customers.create(db, { name: 'Acme' });
		const globex = await customers.create(db, { name: 'Globex' });
		const { ticket, reporter } = await makeTicket(db, { title: 'Linked ticket' });
		const byCustomer = async (id: number) =>
			(await staff.inbox(db, me.id, { customer: id })).rows.map((r) => r.title);

		expect(
			await staff.linkCustomer(db, { ticketId: ticket.id, actor: me, customerId: acme.id })
		).toBe('Acme');
		expect(await byCustomer(acme.id)).toEqual(['Linked ticket']);
		expect(
			await staff.linkCustomer(db, { ticketId: ticket.id, actor: me, customerId: acme.id })
		).toBe(false);
		expect(
			await staff.linkCustomer(db, { ticketId: ticket.id, actor: me, customerId: globex.id })
		).toBe('Globex');
		expect(await byCustomer(acme.id)).toEqual([]);
		expect(await byCustomer(globex.id)).toEqual(['Linked ticket']);
		expect((await staff.view(db, ticket.id))?.customer?.name).toBe('Globex');
		await expect(
			staff.linkCustomer(db, { ticketId: ticket.id, actor: me, customerId: 987654 })
		).rejects.toThrow(DomainError);
		expect(
			await staff.linkCustomer(db, { ticketId: ticket.id, actor: me, customerId: null })
		).toBeNull();
		expect(await byCustomer(globex.id)).toEqual([]);
		expect((await staff.view(db, ticket.id))?.customer).toBeNull();

		const events = (await staff.view(db, ticket.id))!.messages.filter(
			(m) => m.event === 'customer_changed'
		);
		expect(events.map((e) => [e.body, e.internal])).toEqual([
			['Linked to customer Acme by Lin Ker', true],
			['Linked to customer Globex by Lin Ker', true],
			['Unlinked from customer Globex by Lin Ker', true]
		]);
		const thread = (await threads.findByToken(
			db,
			TEST_SECRET,
			splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version)
		))!;
		const shown = await threads.conversation(db, thread);
		expect(JSON.stringify(shown)).not.toContain('customer');
	});
});
