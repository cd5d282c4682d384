import type { Conn, Tx } from '$lib/server/db';
import type { Attachment } from '$lib/server/db/schema';
import { publicId } from '$lib/server/tokens';
import type { PublicAttachment, PublicMessage } from '$lib/shared/types';
import type { ImageClaim } from './image-jobs';
import type { Staged } from './stage';

/** Where staged files belong: the ticket's description (messageId null) or a message. */
export interface Target {
	ticketId: number;
	messageId: number | null;
}

/**
 * Inserts the rows for files already written and flushed; call inside the transaction that
 * creates the ticket or message. Returns the new row ids (for image processing after commit).
 * Images are stored claimed by `claim` (the image worker of the instance that will process them
 * right after the commit); without one any instance's worker takes them.
 */
export async function insert(
	tx: Tx,
	staged: Staged[],
	target: Target,
	now = Date.now(),
	claim?: ImageClaim
): Promise<number[]> {
	if (!staged.length) return [];
	const rows = await tx
		.insertInto('attachments')
		.values(
			staged.map((s) => ({
				public_id: publicId(),
				ticket_id: target.ticketId,
				message_id: target.messageId,
				storage_key: s.key,
				name: s.name,
				mime: s.mime,
				size: s.size,
				sha256: s.sha256,
				width: null,
				height: null,
				display_key: null,
				thumbnail_key: null,
				created_at: now,
				// Only images have processing left to do.
				processed_at: s.image ? null : now,
				claimed_by: s.image ? (claim?.claimed_by ?? null) : null,
				lease_until: s.image ? (claim?.lease_until ?? null) : null
			}))
		)
		.returning('id')
		.execute();
	return rows.map((r) => r.id);
}

/** An attachment as public pages show it (no internal ids, no storage keys). */
export function toPublic(
	a: Pick<
		Attachment,
		'public_id' | 'name' | 'mime' | 'size' | 'display_key' | 'thumbnail_key' | 'width' | 'height'
	>
): PublicAttachment {
	const image = a.display_key !== null && a.thumbnail_key !== null;
	return {
		id: a.public_id,
		name: a.name,
		mime: a.mime,
		size: a.size,
		image,
		width: image ? a.width : null,
		height: image ? a.height : null
	};
}

export interface TicketAttachments {
	/** Files attached to the ticket's description. */
	ticket: PublicAttachment[];
	/** Files attached to public messages, by the message's public id. */
	messages: Record<string, PublicAttachment[]>;
}

/** A ticket's public attachments, oldest first, grouped by message; internal notes' files never. */
export async function publicForTicket(db: Conn, ticketId: number): Promise<TicketAttachments> {
	const rows = await db
		.selectFrom('attachments as a')
		.leftJoin('messages as m', 'm.id', 'a.message_id')
		.select([
			'a.public_id',
			'a.name',
			'a.mime',
			'a.size',
			'a.display_key',
			'a.thumbnail_key',
			'a.width',
			'a.height',
			'a.message_id',
			'm.public_id as message',
			'm.visibility'
		])
		.where('a.ticket_id', '=', ticketId)
		.orderBy('a.id')
		.execute();
	const result: TicketAttachments = { ticket: [], messages: {} };
	for (const r of rows) {
		if (r.message_id === null) result.ticket.push(toPublic(r));
		else if (r.message && r.visibility === 'public')
			(result.messages[r.message] ??= []).push(toPublic(r));
	}
	return result;
}

/** The messages with their attachments filled in. */
export function attachTo(messages: PublicMessage[], grouped: TicketAttachments): PublicMessage[] {
	return messages.map((m) =>
		grouped.messages[m.id] ? { ...m, attachments: grouped.messages[m.id] } : m
	);
}

/** One attachment of a ticket by its public id, or undefined (callers answer 404). */
export async function findForTicket(
	db: Conn,
	ticketId: number,
	attachmentId: string
): Promise<Attachment | undefined> {
	if (!/^[a-z2-7]{16}$/.test(attachmentId)) return undefined;
	const a = await db
		.selectFrom('attachments')
		.selectAll()
		.where('public_id', '=', attachmentId)
		.where('ticket_id', '=', ticketId)
		.executeTakeFirst();
	if (!a || a.message_id === null) return a;
	const m = await db
		.selectFrom('messages')
		.select('visibility')
		.where('id', '=', a.message_id)
		.executeTakeFirst();
	return m?.visibility === 'public' ? a : undefined;
}

/** One attachment by its public id (staff download). */
export async function findByPublicId(
	db: Conn,
	attachmentId: string
): Promise<Attachment | undefined> {
	return db
		.selectFrom('attachments')
		.selectAll()
		.where('public_id', '=', attachmentId)
		.executeTakeFirst();
}
