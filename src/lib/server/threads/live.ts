import type { Conn } from '$lib/server/db';
import type { TicketStatus } from '$lib/server/db/schema';
import type { PublicMessage, ThreadChanges } from '$lib/shared/types';
import { conversation, type PollMarks, type ThreadRef } from './conversation';

/**
 * Live updates for the public thread page. The browser holds an opaque cursor naming what it has
 * seen: the ticket status and the last message's time and public id (never an internal id), e.g.
 * `open.lzx3k2a1.abcdefghijklmnop`. Polling with it answers "nothing changed" cheaply.
 */

const CURSOR = /^(open|waiting|resolved|rejected)\.([0-9a-z]{1,12})\.([a-z2-7]{16})?$/;

export interface Cursor {
	status: TicketStatus;
	lastAt: number;
	lastId: string | null;
}

export function encodeCursor(c: Cursor): string {
	return `${c.status}.${c.lastAt.toString(36)}.${c.lastId ?? ''}`;
}

/** The cursor's parts, or null when it is malformed. */
export function decodeCursor(value: string): Cursor | null {
	const m = CURSOR.exec(value);
	if (!m) return null;
	const c = { status: m[1] as TicketStatus, lastAt: parseInt(m[2], 36), lastId: m[3] ?? null };
	// An empty conversation is `status.0.`; any other time names a message.
	return (c.lastId === null) === (c.lastAt === 0) ? c : null;
}

/** The cursor for a thread whose conversation ends with `messages`' last entry. */
export function cursorOf(
	thread: ThreadRef,
	messages: Pick<PublicMessage, 'id' | 'createdAt'>[]
): string {
	const last = messages.at(-1);
	return encodeCursor({
		status: thread.ticket.status,
		lastAt: last?.createdAt ?? 0,
		lastId: last?.id ?? null
	});
}

/**
 * What changed since `cursor`: undefined when nothing did (the endpoint answers 204). If the
 * cursor's message is gone (deleted by staff), everything after its time is sent again; the page
 * drops ids it already shows. With the poll's `marks` (see `findForPoll`) "nothing new" needs no
 * further statement.
 */
export async function changesSince(
	db: Conn,
	thread: ThreadRef,
	cursor: Cursor,
	marks?: PollMarks
): Promise<ThreadChanges | undefined> {
	const status = thread.ticket.status;
	let afterId = 0;
	if (marks) {
		afterId = cursor.lastId ? (marks.cursorId ?? 0) : 0;
		const gone = cursor.lastId !== null && marks.cursorId === null;
		if (!gone && (marks.latestId ?? 0) <= afterId && cursor.status === status) return undefined;
	} else if (cursor.lastId) {
		const seen = await db
			.selectFrom('messages')
			.select('id')
			.where('ticket_id', '=', thread.ticket.id)
			.where('public_id', '=', cursor.lastId)
			.executeTakeFirst();
		afterId = seen?.id ?? 0;
	}
	let messages = await conversation(db, thread, afterId);
	if (cursor.lastId && afterId === 0)
		messages = messages.filter((m) => m.createdAt >= cursor.lastAt);
	if (messages.length === 0 && cursor.status === status) return undefined;
	const next = messages.length ? cursorOf(thread, messages) : encodeCursor({ ...cursor, status });
	return { status, messages, cursor: next };
}
