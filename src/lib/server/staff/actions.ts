import type { Db, Tx } from '$lib/server/db';
import type { StaffUser, TicketStatus } from '$lib/server/db/schema';
import * as notify from '$lib/server/notifications/events';
import { publicId } from '$lib/server/tokens';
import { markRead } from './inbox';

type Actor = Pick<StaffUser, 'id' | 'name'>;

export class StaffActionError extends Error {}

async function audit(
	tx: Tx,
	ticketId: number,
	actor: Actor,
	action: string,
	data: Record<string, unknown>,
	now: number
) {
	await tx
		.insertInto('audit_events')
		.values({
			ticket_id: ticketId,
			actor_kind: 'staff',
			actor_id: actor.id,
			action,
			data: JSON.stringify(data),
			created_at: now
		})
		.execute();
}

async function touch(
	tx: Tx,
	ticketId: number,
	actor: Actor,
	now: number,
	extra: Record<string, unknown> = {}
) {
	await tx
		.updateTable('tickets')
		.set({ last_activity_at: now, updated_at: now, ...extra })
		.where('id', '=', ticketId)
		.execute();
	await markRead(tx, actor.id, ticketId, now);
}

async function event(
	tx: Tx,
	ticketId: number,
	name: string,
	visibility: 'public' | 'internal',
	now: number,
	body = ''
) {
	const row = await tx
		.insertInto('messages')
		.values({
			public_id: publicId(),
			ticket_id: ticketId,
			kind: 'event',
			visibility,
			event: name,
			author_name: '',
			body,
			created_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

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
	return db.transaction().execute(async (tx) => {
		const message = await tx
			.insertInto('messages')
			.values({
				public_id: publicId(),
				ticket_id: input.ticketId,
				visibility: input.internal ? 'internal' : 'public',
				author_staff_id: input.actor.id,
				author_name: input.actor.name,
				body: input.body,
				event: null,
				created_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await input.within?.(tx, { messageId: message.id });
		if (!input.internal)
			await notify.staffReplied(tx, { ticketId: input.ticketId, messageId: message.id });
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
export async function setStatus(
	db: Db,
	input: { ticketId: number; actor: Actor; status: TicketStatus },
	now = Date.now()
): Promise<boolean> {
	return db.transaction().execute(async (tx) => {
		const t = await tx
			.selectFrom('tickets')
			.select('status')
			.where('id', '=', input.ticketId)
			.executeTakeFirstOrThrow();
		if (t.status === input.status) return false;
		const closed = input.status === 'resolved' || input.status === 'rejected';
		await touch(tx, input.ticketId, input.actor, now, {
			status: input.status,
			resolved_at: closed ? now : null
		});
		const messageId = await event(tx, input.ticketId, EVENT_OF[input.status], 'public', now);
		await notify.statusChanged(tx, { ticketId: input.ticketId, status: input.status, messageId });
		await audit(
			tx,
			input.ticketId,
			input.actor,
			'ticket.status',
			{ from: t.status, to: input.status },
			now
		);
		return true;
	});
}

/** Moves a ticket to another type of its project (an internal event records it). */
export async function changeType(
	db: Db,
	input: { ticketId: number; actor: Actor; typeId: number; typeName: string },
	now = Date.now()
) {
	await db.transaction().execute(async (tx) => {
		const t = await tx
			.selectFrom('tickets')
			.select('ticket_type_id')
			.where('id', '=', input.ticketId)
			.executeTakeFirstOrThrow();
		if (t.ticket_type_id === input.typeId) return;
		await touch(tx, input.ticketId, input.actor, now, { ticket_type_id: input.typeId });
		await event(
			tx,
			input.ticketId,
			'type_changed',
			'internal',
			now,
			`Type changed to ${input.typeName} by ${input.actor.name}`
		);
		await audit(
			tx,
			input.ticketId,
			input.actor,
			'ticket.type',
			{ from: t.ticket_type_id, to: input.typeId },
			now
		);
	});
}

/** Adds a notified recipient: they get their own link by email. */
export async function addRecipient(
	db: Db,
	input: { ticketId: number; actor: Actor; email: string; name?: string | null },
	now = Date.now()
) {
	return db.transaction().execute(async (tx) => {
		const email = input.email.trim().toLowerCase();
		const existing = await tx
			.selectFrom('ticket_recipients')
			.select('id')
			.where('ticket_id', '=', input.ticketId)
			.where('email', '=', email)
			.executeTakeFirst();
		if (existing) throw new StaffActionError(`${email} is on this ticket already.`);
		const r = await tx
			.insertInto('ticket_recipients')
			.values({
				ticket_id: input.ticketId,
				public_id: publicId(),
				email,
				name: input.name || null,
				role: 'cc',
				created_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await notify.recipientAdded(tx, { ticketId: input.ticketId, recipientId: r.id });
		await audit(tx, input.ticketId, input.actor, 'recipient.added', { recipientId: r.id }, now);
		return r.id;
	});
}

/**
 * Revokes a recipient's link (it stops working at once, and no more mail goes to them), or
 * re-issues it: the version is bumped so the old link dies, and the new one is mailed.
 */
export async function recipientLink(
	db: Db,
	input: { ticketId: number; actor: Actor; recipient: string; action: 'revoke' | 'reissue' },
	now = Date.now()
) {
	await db.transaction().execute(async (tx) => {
		const r = await tx
			.selectFrom('ticket_recipients')
			.select(['id', 'token_version'])
			.where('ticket_id', '=', input.ticketId)
			.where('public_id', '=', input.recipient)
			.executeTakeFirst();
		if (!r) throw new StaffActionError('That recipient is not on this ticket.');
		if (input.action === 'revoke') {
			await tx
				.updateTable('ticket_recipients')
				.set({ revoked_at: now })
				.where('id', '=', r.id)
				.execute();
		} else {
			await tx
				.updateTable('ticket_recipients')
				.set({ revoked_at: null, token_version: r.token_version + 1 })
				.where('id', '=', r.id)
				.execute();
			await notify.recipientAdded(tx, { ticketId: input.ticketId, recipientId: r.id });
		}
		await audit(
			tx,
			input.ticketId,
			input.actor,
			`recipient.${input.action}`,
			{ recipientId: r.id },
			now
		);
	});
}
