import * as auditLog from '$lib/server/audit';
import type { Conn, Db } from '$lib/server/db';
import * as recipients from '$lib/server/recipients';
import type { Recipient } from '$lib/server/db/schema';

/**
 * Email subscriptions of ticket recipients, reached through the recipient's own unsubscribe
 * link. Unsubscribing only stops mail: the recipient's thread link keeps working.
 */

export interface Subscription {
	recipient: Recipient;
	projectName: string;
	subscribed: boolean;
}

/**
 * Resolves an unsubscribe token (a split token with purpose 'unsubscribe', scoped to one
 * recipient). Unknown, malformed, re-issued and revoked tokens all give undefined.
 */
export function findByToken(
	db: Conn,
	secret: Uint8Array,
	token: string
): Promise<Recipient | undefined> {
	return recipients.findByToken(db, secret, 'unsubscribe', token);
}

/**
 * Stops all further notifications to the recipient and cancels mail still queued for them.
 * Idempotent: unsubscribing twice keeps the first time and changes nothing else.
 */
export async function unsubscribe(
	db: Db,
	recipient: Recipient,
	now = Date.now()
): Promise<Subscription> {
	return db.transaction().execute(async (tx) => {
		const updated = await tx
			.updateTable('ticket_recipients')
			.set({ unsubscribed_at: now })
			.where('id', '=', recipient.id)
			.where('unsubscribed_at', 'is', null)
			.executeTakeFirst();
		await tx
			.updateTable('outbound_emails')
			.set({ status: 'cancelled', last_error: 'the recipient unsubscribed' })
			.where('recipient_id', '=', recipient.id)
			.where('status', '=', 'pending')
			.execute();
		if (Number(updated.numUpdatedRows) === 1)
			await audit(tx, recipient, 'recipient.unsubscribed', now);
		return state(tx, recipient.id);
	});
}

/** Turns notifications back on for the recipient. Idempotent. */
export async function resubscribe(
	db: Db,
	recipient: Recipient,
	now = Date.now()
): Promise<Subscription> {
	return db.transaction().execute(async (tx) => {
		const updated = await tx
			.updateTable('ticket_recipients')
			.set({ unsubscribed_at: null })
			.where('id', '=', recipient.id)
			.where('unsubscribed_at', 'is not', null)
			.executeTakeFirst();
		if (Number(updated.numUpdatedRows) === 1)
			await audit(tx, recipient, 'recipient.resubscribed', now);
		return state(tx, recipient.id);
	});
}

async function state(db: Conn, recipientId: number): Promise<Subscription> {
	const recipient = await db
		.selectFrom('ticket_recipients')
		.selectAll()
		.where('id', '=', recipientId)
		.executeTakeFirstOrThrow();
	const project = await db
		.selectFrom('tickets')
		.innerJoin('projects', 'projects.id', 'tickets.project_id')
		.select('projects.name')
		.where('tickets.id', '=', recipient.ticket_id)
		.executeTakeFirstOrThrow();
	return { recipient, projectName: project.name, subscribed: recipient.unsubscribed_at === null };
}

function audit(db: Conn, recipient: Recipient, action: string, now: number) {
	const actor = { kind: 'recipient' as const, id: recipient.id };
	return auditLog.record(db, { ticketId: recipient.ticket_id, actor, action }, now);
}
