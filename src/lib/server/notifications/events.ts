import type { Conn } from '$lib/server/db';
import { enqueue } from './outbox';
import * as staffMail from './staff';

/**
 * What happened on a ticket, as the notification side sees it. Domain modules call these inside
 * the transaction of the event, so the mail is queued if and only if the event is committed.
 * Nobody is notified of their own action; unsubscribed and revoked recipients get nothing.
 */

async function recipientsToNotify(db: Conn, ticketId: number, exceptRecipientId: number | null) {
	let q = db
		.selectFrom('ticket_recipients')
		.select('id')
		.where('ticket_id', '=', ticketId)
		.where('unsubscribed_at', 'is', null)
		.where('revoked_at', 'is', null);
	if (exceptRecipientId !== null) q = q.where('id', '!=', exceptRecipientId);
	return (await q.orderBy('id').execute()).map((r) => r.id);
}

async function fanOut(db: Conn, kind: string, ticketId: number, recipientIds: number[], messageId: number | null, payload?: Record<string, unknown>) {
	for (const recipientId of recipientIds) {
		await enqueue(db, { kind, ticketId, recipientId, messageId, payload });
	}
}

/** A new ticket: the reporter gets a confirmation with their own link. */
export async function ticketCreated(db: Conn, e: { ticketId: number; reporterId: number }) {
	await enqueue(db, { kind: 'ticket_created', ticketId: e.ticketId, recipientId: e.reporterId });
	await staffMail.ticketCreated(db, e.ticketId);
}

/** A recipient replied on the public thread: the other recipients hear of it. */
export async function recipientReplied(db: Conn, e: { ticketId: number; messageId: number; authorRecipientId: number }) {
	const ids = await recipientsToNotify(db, e.ticketId, e.authorRecipientId);
	await fanOut(db, 'recipient_reply', e.ticketId, ids, e.messageId);
	await staffMail.recipientReplied(db, e.ticketId, e.messageId);
}

/** Staff wrote a public reply: every recipient hears of it. */
export async function staffReplied(db: Conn, e: { ticketId: number; messageId: number }) {
	await fanOut(db, 'staff_reply', e.ticketId, await recipientsToNotify(db, e.ticketId, null), e.messageId);
}

/**
 * The status became resolved, rejected or open again. A recipient who caused it (a reply that
 * reopened the ticket) is not told.
 */
export async function statusChanged(
	db: Conn,
	e: { ticketId: number; status: string; messageId: number | null; byRecipientId?: number | null }
) {
	if (e.status === 'open' && e.byRecipientId) await staffMail.reopened(db, e.ticketId, e.messageId);
	if (!['resolved', 'rejected', 'open'].includes(e.status)) return;
	const ids = await recipientsToNotify(db, e.ticketId, e.byRecipientId ?? null);
	await fanOut(db, 'status_changed', e.ticketId, ids, e.messageId, { status: e.status });
}

/** Staff added a recipient: they get their own link. */
export async function recipientAdded(db: Conn, e: { ticketId: number; recipientId: number }) {
	await enqueue(db, { kind: 'recipient_added', ticketId: e.ticketId, recipientId: e.recipientId });
}
