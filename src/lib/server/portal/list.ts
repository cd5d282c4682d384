import { sql } from 'kysely';
import type { Conn } from '$lib/server/db';
import type { TicketStatus } from '$lib/server/db/schema';
import { recipientLinks } from '$lib/server/notifications/compose';
import type { PortalIdentity } from './session';
import { normalEmail } from './sign-in';

export const PAGE_SIZE = 20;

export type StatusFilter = 'all' | 'open' | 'waiting' | 'resolved';

const STATUSES: Record<Exclude<StatusFilter, 'all'>, TicketStatus[]> = {
	open: ['open'],
	waiting: ['waiting'],
	// "Resolved" is every finished ticket: resolved or closed.
	resolved: ['resolved', 'rejected']
};

export interface MyTicket {
	title: string;
	project: string;
	status: TicketStatus;
	lastActivityAt: number;
	/** Something happened since this person last opened the thread page. */
	unseen: boolean;
	/** This person's own thread link (built from their own recipient row). */
	url: string;
}

export interface MyTicketsPage {
	tickets: MyTicket[];
	page: number;
	hasNext: boolean;
}

/** `LIKE` pattern for a literal search term, wildcards escaped (with `\`). */
function containsPattern(q: string): string {
	return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The tickets a signed-in person is a recipient of (reporter or notified, not removed), across
 * projects with the portal on; a Discord session sees the tickets that user opened through
 * `/ticket`. Newest activity first, `PAGE_SIZE` a page. Each row links to the person's own
 * recipient link, never to anyone else's.
 */
export async function myTickets(
	db: Conn,
	links: { origin: string; secret: Uint8Array },
	who: PortalIdentity,
	opts: { status?: StatusFilter; q?: string; page?: number } = {}
): Promise<MyTicketsPage> {
	const page = Math.max(1, Math.floor(opts.page ?? 1));
	let query = db
		.selectFrom('ticket_recipients as r')
		.innerJoin('tickets as t', 't.id', 'r.ticket_id')
		.innerJoin('projects as p', 'p.id', 't.project_id')
		.select([
			'r.public_id',
			'r.token_version',
			'r.seen_at',
			'r.created_at as joined_at',
			't.title',
			't.status',
			't.last_activity_at',
			'p.key as project_key',
			'p.name as project_name'
		])
		.where('r.revoked_at', 'is', null)
		.where('p.portal_enabled', '=', 1);
	if ('email' in who) {
		query = query
			.where(sql<string>`lower(r.email)`, '=', normalEmail(who.email))
			.where('r.channel', '=', 'email');
	} else {
		query = query
			.where('t.discord_user_id', '=', who.discordUserId)
			.where('t.source', '=', 'discord')
			.where('r.role', '=', 'reporter');
	}
	if (opts.status && opts.status !== 'all')
		query = query.where('t.status', 'in', STATUSES[opts.status]);
	const q = opts.q?.trim();
	if (q) {
		query = query.where(
			sql<boolean>`lower(${sql.ref('t.title')}) LIKE ${containsPattern(q)} ESCAPE '\\'`
		);
	}
	const rows = await query
		.orderBy('t.last_activity_at', 'desc')
		.orderBy('t.id', 'desc')
		.limit(PAGE_SIZE + 1)
		.offset((page - 1) * PAGE_SIZE)
		.execute();
	return {
		page,
		hasNext: rows.length > PAGE_SIZE,
		tickets: rows.slice(0, PAGE_SIZE).map((r) => ({
			title: r.title,
			project: r.project_name,
			status: r.status,
			lastActivityAt: r.last_activity_at,
			unseen: r.last_activity_at > (r.seen_at ?? r.joined_at),
			url: recipientLinks(links.origin, links.secret, { key: r.project_key }, r).thread
		}))
	};
}

/**
 * Records that a recipient opened their thread page now (clears the "new" marker). Writes only
 * when there is something to clear: opening an unchanged thread again costs no (durable) write,
 * so a page view stays a read.
 */
export async function markSeen(
	db: Conn,
	recipient: { id: number; seen_at: number | null; created_at: number },
	lastActivityAt: number,
	now = Date.now()
): Promise<boolean> {
	if (lastActivityAt <= (recipient.seen_at ?? recipient.created_at)) return false;
	const r = await db
		.updateTable('ticket_recipients')
		.set({ seen_at: now })
		.where('id', '=', recipient.id)
		.where((eb) => eb.or([eb('seen_at', 'is', null), eb('seen_at', '<', now)]))
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}
