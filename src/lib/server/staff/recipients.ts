import { DomainError } from '$lib/server/errors';
import type { Db } from '$lib/server/db';
import { transaction } from '$lib/server/db/transaction';
import { cleanOptionalLine } from '$lib/shared/clean-text';
import type { StaffUser } from '$lib/server/db/schema';
import * as notify from '$lib/server/notifications/events';
import { publicId } from '$lib/server/tokens';
import { audit } from './log';

type Actor = Pick<StaffUser, 'id' | 'name'>;

/** Adds a notified recipient: they get their own link by email. */
export async function addRecipient(
	db: Db,
	input: { ticketId: number; actor: Actor; email: string; name?: string | null },
	now = Date.now()
) {
	return transaction(db, async (tx) => {
		const email = input.email.trim().toLowerCase();
		const existing = await tx
			.selectFrom('ticket_recipients')
			.select('id')
			.where('ticket_id', '=', input.ticketId)
			.where('email', '=', email)
			.executeTakeFirst();
		if (existing) throw new DomainError(`${email} is on this ticket already.`);
		const r = await tx
			.insertInto('ticket_recipients')
			.values({
				ticket_id: input.ticketId,
				public_id: publicId(),
				email,
				name: cleanOptionalLine(input.name),
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
	await transaction(db, async (tx) => {
		const r = await tx
			.selectFrom('ticket_recipients')
			.select(['id', 'token_version'])
			.where('ticket_id', '=', input.ticketId)
			.where('public_id', '=', input.recipient)
			.executeTakeFirst();
		if (!r) throw new DomainError('That recipient is not on this ticket.');
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
