import type { Conn, Db } from '$lib/server/db';
import type { StaffUser } from '$lib/server/db/schema';
import { publicId } from '$lib/server/tokens';
import { StaffActionError } from './actions';
import { markRead } from './inbox';

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
 * nothing changed. Throws StaffActionError for an unknown customer.
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
		if (input.customerId !== null && !next)
			throw new StaffActionError('That customer does not exist.');
		await tx
			.updateTable('tickets')
			.set({ customer_id: input.customerId, updated_at: now, last_activity_at: now })
			.where('id', '=', input.ticketId)
			.execute();
		const body = next
			? `Linked to customer ${next.name} by ${input.actor.name}`
			: `Unlinked from customer ${previous?.name ?? ''} by ${input.actor.name}`.replace('  ', ' ');
		await tx
			.insertInto('messages')
			.values({
				public_id: publicId(),
				ticket_id: input.ticketId,
				kind: 'event',
				visibility: 'internal',
				event: 'customer_changed',
				author_name: '',
				body,
				created_at: now
			})
			.execute();
		await tx
			.insertInto('audit_events')
			.values({
				ticket_id: input.ticketId,
				actor_kind: 'staff',
				actor_id: input.actor.id,
				action: 'ticket.customer',
				data: JSON.stringify({ from: t.customer_id, to: input.customerId }),
				created_at: now
			})
			.execute();
		await markRead(tx, input.actor.id, input.ticketId, now);
		return next ? next.name : null;
	});
}
