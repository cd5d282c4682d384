import { DomainError } from '$lib/server/errors';
import type { Conn, Db } from '$lib/server/db';
import type { StaffUser } from '$lib/server/db/schema';
import { addEvent } from '$lib/server/tickets';
import { audit, touch } from './log';

type Actor = Pick<StaffUser, 'id' | 'name'>;

/** Customers a ticket can be linked to, by name (the first 500). */
export function customerChoices(db: Conn) {
	return db
		.selectFrom('customers')
		.select(['id', 'name'])
		.orderBy('name')
		.orderBy('id')
		.limit(500)
		.execute();
}

/**
 * Links a ticket to a customer, or unlinks it (`customerId` null), with an internal event in the
 * conversation and an audit row. Returns the customer's name (null when unlinked), or false when
 * nothing changed. Throws DomainError for an unknown customer.
 */
export async function linkCustomer(
	db: Db,
	input: { ticketId: number; actor: Actor; customerId: number | null },
	now = Date.now()
): Promise<string | null | false> {
	return db.transaction().execute(async (tx) => {
		const t = await tx
			.selectFrom('tickets')
			.select('customer_id')
			.where('id', '=', input.ticketId)
			.executeTakeFirstOrThrow();
		if (t.customer_id === input.customerId) return false;
		const named = (id: number | null) =>
			id === null
				? undefined
				: tx.selectFrom('customers').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
		const [next, previous] = await Promise.all([named(input.customerId), named(t.customer_id)]);
		if (input.customerId !== null && !next) throw new DomainError('That customer does not exist.');
		await touch(tx, input.ticketId, input.actor, now, { customer_id: input.customerId });
		const body = next
			? `Linked to customer ${next.name} by ${input.actor.name}`
			: `Unlinked from customer ${previous?.name ?? ''} by ${input.actor.name}`.replace('  ', ' ');
		const changed = { ticketId: input.ticketId, name: 'customer_changed', body };
		await addEvent(tx, { ...changed, visibility: 'internal' }, now);
		await audit(
			tx,
			input.ticketId,
			input.actor,
			'ticket.customer',
			{ from: t.customer_id, to: input.customerId },
			now
		);
		return next ? next.name : null;
	});
}
