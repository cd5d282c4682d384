import { createHash } from 'node:crypto';
import type { Conn } from '$lib/server/db';
import type { InboundMessagesTable } from '$lib/server/db/schema';
import type { InboundEnvelope } from './contract';

/**
 * The key a message is stored once by: its Message-ID (or, without a usable one, a hash of the
 * raw bytes) together with the address it was delivered to, hashed. The same mail redelivered
 * (an MTA retry, an IMAP re-read) has the same key; someone else's mail cannot block it.
 */
export function dedupKey(raw: Uint8Array, messageId: string | undefined, target: string): string {
	const id = messageId?.trim();
	const basis =
		id && /^<[^<>\s]{3,900}>$/.test(id)
			? `mid:${id}`
			: `raw:${createHash('sha256').update(raw).digest('hex')}`;
	return createHash('sha256').update(`${basis}\n${target}`).digest('hex');
}

/** Whether a message with this key was handled before. */
export async function seen(db: Conn, key: string): Promise<boolean> {
	const row = await db
		.selectFrom('inbound_messages')
		.select('id')
		.where('dedup_key', '=', key)
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * Records a handled message. Call inside the transaction of what it led to (reply, ticket,
 * event, notice): a second delivery racing this one fails on the unique key and rolls back.
 */
export async function record(
	db: Conn,
	e: {
		key: string;
		outcome: InboundMessagesTable['outcome'];
		ticketId: number | null;
		messageId: number | null;
		from: string | null;
		transport: InboundEnvelope['transport'];
	},
	now = Date.now()
): Promise<void> {
	await db
		.insertInto('inbound_messages')
		.values({
			dedup_key: e.key,
			outcome: e.outcome,
			ticket_id: e.ticketId,
			message_id: e.messageId,
			from_address: e.from?.slice(0, 254) ?? null,
			transport: e.transport,
			created_at: now
		})
		.execute();
}

/** Whether an error is a unique-key violation (SQLite or PostgreSQL): the racing duplicate. */
export function isDuplicateKey(err: unknown): boolean {
	const e = err as { code?: string; message?: string } | null;
	if (!e || typeof e !== 'object') return false;
	return (
		e.code === '23505' ||
		e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
		(typeof e.message === 'string' && /UNIQUE constraint failed: inbound_messages/.test(e.message))
	);
}
