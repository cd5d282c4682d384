import type { Conn } from '$lib/server/db';
import type { Recipient } from '$lib/server/db/schema';
import { ticketChanged } from '$lib/server/live';
import { enqueue } from './outbox';
import * as staffMail from './staff';

/**
 * What happened on a ticket, as the notification side sees it. Domain modules call these inside
 * the transaction of the event, so the notice is queued if and only if the event is committed.
 * Nobody is notified of their own action; unsubscribed and revoked recipients get nothing.
 */

/** One thing to tell one recipient. */
export interface Notice {
	kind: string;
	ticketId: number;
	recipientId: number;
	messageId: number | null;
	payload?: Record<string, unknown>;
}

type Channel = Recipient['channel'];

/**
 * How each recipient channel is reached, inside the event's transaction. Both go through the
 * durable outbox; a Discord recipient's row becomes a DM (discord/dm.ts via the composer's
 * `channels`), never a mail to the synthetic address, and is cancelled when no bot is configured.
 */
export const deliveries: Record<Channel, (db: Conn, notice: Notice) => Promise<void>> = {
	email: (db, n) => enqueue(db, n),
	discord: (db, n) => enqueue(db, n)
};

async function deliver(
	db: Conn,
	recipients: Pick<Recipient, 'id' | 'channel'>[],
	notice: Omit<Notice, 'recipientId'>
) {
	for (const r of recipients) await deliveries[r.channel]?.(db, { ...notice, recipientId: r.id });
}

/** The subscribed, not revoked recipients of a ticket, minus whoever acted (by row and address). */
async function audience(
	db: Conn,
	ticketId: number,
	actor: { recipientId?: number | null; email?: string | null } = {}
) {
	const rows = await db
		.selectFrom('ticket_recipients')
		.select(['id', 'channel', 'email'])
		.where('ticket_id', '=', ticketId)
		.where('unsubscribed_at', 'is', null)
		.where('revoked_at', 'is', null)
		.orderBy('id')
		.execute();
	let email = actor.email?.toLowerCase() ?? null;
	if (actor.recipientId != null) {
		email ??= rows.find((r) => r.id === actor.recipientId)?.email.toLowerCase() ?? null;
	}
	return rows.filter(
		(r) => r.id !== actor.recipientId && (email === null || r.email.toLowerCase() !== email)
	);
}

async function one(db: Conn, ticketId: number, recipientId: number) {
	return db
		.selectFrom('ticket_recipients')
		.select(['id', 'channel'])
		.where('id', '=', recipientId)
		.where('ticket_id', '=', ticketId)
		.where('unsubscribed_at', 'is', null)
		.where('revoked_at', 'is', null)
		.execute();
}

/**
 * A new ticket: the reporter gets a confirmation with their own link. The reporter's row was
 * written in the same transaction, so it is passed in rather than read again.
 */
export async function ticketCreated(
	db: Conn,
	e: {
		ticketId: number;
		projectId: number;
		reporter: Pick<Recipient, 'id' | 'channel' | 'unsubscribed_at' | 'revoked_at'>;
	}
) {
	const { reporter } = e;
	const reachable = reporter.unsubscribed_at === null && reporter.revoked_at === null;
	await deliver(db, reachable ? [reporter] : [], {
		kind: 'ticket_created',
		ticketId: e.ticketId,
		messageId: null
	});
	await staffMail.ticketCreated(db, e.ticketId);
	await ticketChanged(db, e.ticketId, 'created', e.projectId);
}

/**
 * A recipient replied on the public thread: the other recipients hear of it. A reply that reopened
 * a resolved or rejected ticket is one mail that says both (not a reply mail plus a "reopened" one).
 */
export async function recipientReplied(
	db: Conn,
	e: { ticketId: number; messageId: number; authorRecipientId: number; reopened?: boolean }
) {
	const to = await audience(db, e.ticketId, { recipientId: e.authorRecipientId });
	await deliver(db, to, {
		kind: 'recipient_reply',
		ticketId: e.ticketId,
		messageId: e.messageId,
		...(e.reopened ? { payload: { reopened: true } } : {})
	});
	if (e.reopened) await staffMail.reopened(db, e.ticketId, e.messageId);
	else await staffMail.recipientReplied(db, e.ticketId, e.messageId);
	await ticketChanged(db, e.ticketId, 'reply');
}

/**
 * Staff wrote a public reply: every recipient hears of it, except a recipient with the staff
 * member's own address.
 */
export async function staffReplied(
	db: Conn,
	e: { ticketId: number; messageId: number; staffEmail?: string | null }
) {
	const to = await audience(db, e.ticketId, { email: e.staffEmail });
	await deliver(db, to, { kind: 'staff_reply', ticketId: e.ticketId, messageId: e.messageId });
}

/**
 * The status became resolved, rejected or open again. Whoever caused it (a recipient whose
 * reply reopened the ticket, or staff by address) is not told.
 */
export async function statusChanged(
	db: Conn,
	e: {
		ticketId: number;
		status: string;
		messageId: number | null;
		byRecipientId?: number | null;
		byEmail?: string | null;
	}
) {
	if (e.status === 'open' && e.byRecipientId) await staffMail.reopened(db, e.ticketId, e.messageId);
	await ticketChanged(db, e.ticketId, 'status');
	if (!['resolved', 'rejected', 'open'].includes(e.status)) return;
	const to = await audience(db, e.ticketId, { recipientId: e.byRecipientId, email: e.byEmail });
	await deliver(db, to, {
		kind: 'status_changed',
		ticketId: e.ticketId,
		messageId: e.messageId,
		payload: { status: e.status }
	});
}

/**
 * The auto-close job resolved a ticket that waited on the reporter: the reporter gets a notice
 * that says a reply reopens it (instead of the usual "resolved" mail).
 */
export async function autoClosed(db: Conn, e: { ticketId: number; messageId: number }) {
	const reporter = await db
		.selectFrom('ticket_recipients')
		.select(['id', 'channel'])
		.where('ticket_id', '=', e.ticketId)
		.where('role', '=', 'reporter')
		.where('unsubscribed_at', 'is', null)
		.where('revoked_at', 'is', null)
		.execute();
	await deliver(db, reporter, {
		kind: 'auto_closed',
		ticketId: e.ticketId,
		messageId: e.messageId
	});
	await ticketChanged(db, e.ticketId, 'status');
}

/** Staff added a recipient: they get their own link. */
export async function recipientAdded(db: Conn, e: { ticketId: number; recipientId: number }) {
	await deliver(db, await one(db, e.ticketId, e.recipientId), {
		kind: 'recipient_added',
		ticketId: e.ticketId,
		messageId: null
	});
}
