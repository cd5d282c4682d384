import type { Db, Tx } from '$lib/server/db';
import { transaction } from '$lib/server/db/transaction';
import { cleanText } from '$lib/shared/clean-text';
import type { StaffUser, Ticket, TicketStatus } from '$lib/server/db/schema';
import * as notify from '$lib/server/notifications/events';
import { ticketChanged } from '$lib/server/live';
import { publicId } from '$lib/server/tokens';
import { addEvent } from '$lib/server/tickets';
import * as csat from '$lib/server/csat';
import { audit, touch } from './log';

type Actor = Pick<StaffUser, 'id' | 'name'>;

/**
 * Staff writes on a ticket: a public reply notifies every recipient; an internal note notifies
 * nobody outside and never appears on the public thread.
 */
export async function write(
	db: Db,
	input: {
		ticketId: number;
		actor: Actor;
		body: string;
		internal: boolean;
		within?: (tx: Tx, created: { messageId: number }) => Promise<void>;
	},
	now = Date.now()
) {
	return transaction(db, async (tx) => {
		const message = await tx
			.insertInto('messages')
			.values({
				public_id: publicId(),
				ticket_id: input.ticketId,
				visibility: input.internal ? 'internal' : 'public',
				author_staff_id: input.actor.id,
				author_name: input.actor.name,
				body: cleanText(input.body),
				event: null,
				created_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await input.within?.(tx, { messageId: message.id });
		if (!input.internal)
			await notify.staffReplied(tx, { ticketId: input.ticketId, messageId: message.id });
		await ticketChanged(tx, input.ticketId, input.internal ? 'note' : 'staff_reply');
		await touch(tx, input.ticketId, input.actor, now);
		await audit(
			tx,
			input.ticketId,
			input.actor,
			input.internal ? 'ticket.note' : 'ticket.reply',
			{},
			now
		);
		return { messageId: message.id };
	});
}

const EVENT_OF: Record<TicketStatus, string> = {
	open: 'opened',
	waiting: 'waiting',
	resolved: 'resolved',
	rejected: 'rejected'
};

/**
 * Changes the status with a system event in the conversation; recipients hear of resolved,
 * rejected and re-opened. Returns false when the status was already that.
 */
export function setStatus(
	db: Db,
	input: { ticketId: number; actor: Actor; status: TicketStatus },
	now = Date.now()
): Promise<boolean> {
	return transaction(db, (tx) => statusIn(tx, input, now));
}

/** `setStatus` inside an open transaction (one ticket of a bulk change). */
export function statusIn(
	tx: Tx,
	input: { ticketId: number; actor: Actor; status: TicketStatus },
	now = Date.now()
): Promise<boolean> {
	const closed = input.status === 'resolved' || input.status === 'rejected';
	const change = {
		column: 'status',
		to: input.status,
		also: { resolved_at: closed ? now : null },
		action: 'ticket.status'
	} as const;
	return changeColumn(tx, input, change, now, async () => {
		// "Did this solve it?": each resolve opens a round (the mail below asks it).
		if (input.status === 'resolved') await csat.startRound(tx, input.ticketId, now);
		const name = EVENT_OF[input.status];
		const messageId = await addEvent(tx, { ticketId: input.ticketId, name }, now);
		await notify.statusChanged(tx, { ticketId: input.ticketId, status: input.status, messageId });
	});
}

/** Moves a ticket to another type of its project (an internal event records it). */
export async function changeType(
	db: Db,
	input: { ticketId: number; actor: Actor; typeId: number; typeName: string },
	now = Date.now()
) {
	await transaction(db, (tx) => typeIn(tx, input, now));
}

/** `changeType` inside an open transaction; false when the ticket had that type already. */
export function typeIn(
	tx: Tx,
	input: { ticketId: number; actor: Actor; typeId: number; typeName: string },
	now = Date.now()
): Promise<boolean> {
	const change = { column: 'ticket_type_id', to: input.typeId, action: 'ticket.type' } as const;
	return changeColumn(tx, input, change, now, async () => {
		await addEvent(
			tx,
			{
				ticketId: input.ticketId,
				name: 'type_changed',
				visibility: 'internal',
				body: `Type changed to ${input.typeName} by ${input.actor.name}`
			},
			now
		);
	});
}

/**
 * Sets one column of a ticket (and the `also` columns with it) unless it holds `to` already:
 * marks the ticket active and read, lets `record` add the change's events, and audits `action`
 * with the old and new value. False when nothing changed.
 */
async function changeColumn<C extends 'status' | 'ticket_type_id'>(
	tx: Tx,
	input: { ticketId: number; actor: Actor },
	change: { column: C; to: Ticket[C]; also?: Record<string, unknown>; action: string },
	now: number,
	record: () => Promise<void>
): Promise<boolean> {
	const t = await tx
		.selectFrom('tickets')
		.select(change.column as 'status' | 'ticket_type_id')
		.where('id', '=', input.ticketId)
		.executeTakeFirstOrThrow();
	const from = (t as Record<string, unknown>)[change.column] as Ticket[C];
	if (from === change.to) return false;
	await touch(tx, input.ticketId, input.actor, now, { [change.column]: change.to, ...change.also });
	await record();
	await audit(tx, input.ticketId, input.actor, change.action, { from, to: change.to }, now);
	return true;
}
