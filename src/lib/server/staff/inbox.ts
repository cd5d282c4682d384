import type { Conn } from '$lib/server/db';
import type { TicketStatus } from '$lib/server/db/schema';
import { sql, type AliasedSelectQueryBuilder, type RawBuilder, type SqlBool } from 'kysely';
import { containsText, dialectOf } from '$lib/server/db/dialect';
import * as tags from '$lib/server/tags';

export const PAGE_SIZE = 25;
/** The inbox counts matches up to this many (or up to the page asked for), then says "more than". */
export const COUNT_CAP = 1000;
export const STATUSES: TicketStatus[] = ['open', 'waiting', 'resolved', 'rejected'];

export interface InboxFilter {
	/** Project key. */
	project?: string;
	/** A status, or 'active' (open + waiting). */
	status?: TicketStatus | 'active' | '';
	/** Ticket type key. */
	type?: string;
	/** Customer id. */
	customer?: number | null;
	/** Words in the title or the reporter's email/name. */
	q?: string;
	/** 'mine' (assigned to this staff member), 'unassigned', or all tickets. */
	view?: 'mine' | 'unassigned' | '';
	/** A tag name (of any project). */
	tag?: string;
	page?: number;
}

/**
 * The staff inbox: tickets matching the filter, newest activity first, one page at a time, each
 * with an `unread` flag (activity since this staff member last opened it). Matches are counted
 * only up to COUNT_CAP (or the page asked for): `capped` then says there are more than `total`,
 * so a million tickets cost the first page no more than a thousand do.
 */
export async function inbox(db: Conn, staffUserId: number, filter: InboxFilter = {}) {
	let q = db
		.selectFrom('tickets')
		.innerJoin('projects', 'projects.id', 'tickets.project_id')
		.leftJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
		.leftJoin('customers', 'customers.id', 'tickets.customer_id')
		.leftJoin('staff_users as a', 'a.id', 'tickets.assignee_id')
		.leftJoin('staff_ticket_reads as r', (j) =>
			j.onRef('r.ticket_id', '=', 'tickets.id').on('r.staff_user_id', '=', staffUserId)
		);
	// With a tag, the tag's rows carry copies of the ticket's activity, status and assignee, so
	// the page and its count read them in ticket_tags' indexes (name + view/status + activity).
	const tag = filter.tag?.trim().toLowerCase();
	const t = tag ? 'tt' : 'tickets';
	const states: RawBuilder<SqlBool>[] = [];
	const status = sql.ref<string>(`${t}.status`);
	const assignee = sql.ref<number | null>(`${t}.assignee_id`);
	if (filter.status === 'active') states.push(sql`${status} in (${'open'}, ${'waiting'})`);
	else if (filter.status) states.push(sql`${status} = ${filter.status}`);
	if (filter.view === 'mine') states.push(sql`${assignee} = ${staffUserId}`);
	else if (filter.view === 'unassigned') states.push(sql`${assignee} is null`);
	for (const s of states) q = q.where(s);
	if (filter.project) q = q.where('projects.key', '=', filter.project);
	if (filter.type) q = q.where('ticket_types.key', '=', filter.type);
	if (filter.customer) q = q.where('tickets.customer_id', '=', filter.customer);
	// The join's rows are one per ticket (a tag name is unique within the ticket's project).
	if (tag)
		q = q
			.innerJoin('ticket_tags as tt', 'tt.ticket_id', 'tickets.id')
			.where('tt.name', '=', tag) as unknown as typeof q;
	const words = (filter.q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 8);
	const searched = ['tickets.title', 'tickets.reporter_email', 'tickets.reporter_name'].map((c) =>
		sql.ref<string | null>(c)
	);
	for (const w of words) q = q.where(containsText(db, searched, w));
	const wanted = Math.max(1, filter.page ?? 1);
	const cap = Math.max(COUNT_CAP, wanted * PAGE_SIZE);
	// PostgreSQL counts in the page's order, so it walks the same index as for the rows (an
	// unordered LIMIT may scan the table for a rare tag or assignee there); SQLite's planner
	// already picks an index for the unordered count and would sort for an ordered one.
	const order = [sql.ref(`${t}.last_activity_at`), sql.ref(tag ? 'tt.ticket_id' : 'tickets.id')];
	const pg = dialectOf(db) === 'postgres';
	let counted: number;
	if (tag && !filter.project && !filter.type && !filter.customer && words.length === 0) {
		// Only the tag's rows decide: counted in its index alone, without reading a ticket.
		let m = db
			.selectFrom('ticket_tags as tt')
			.select(sql.lit(1).as('one'))
			.where('tt.name', '=', tag);
		for (const s of states) m = m.where(s);
		const ordered = pg ? m.orderBy(order[0], 'desc').orderBy(order[1], 'desc') : m;
		counted = await countOf(db, ordered.limit(cap + 1).as('m'));
	} else {
		const m = q.select(sql.lit(1).as('one'));
		const ordered = pg ? m.orderBy(order[0], 'desc').orderBy(order[1], 'desc') : m;
		counted = await countOf(db, ordered.limit(cap + 1).as('m'));
	}
	const capped = counted > cap;
	const total = Math.min(counted, cap);
	// Past the cap there is at least one more page than the counted ones.
	const pages = Math.max(1, Math.ceil(total / PAGE_SIZE)) + (capped ? 1 : 0);
	const page = Math.min(wanted, pages);
	const rows = await q
		.select([
			'tickets.id',
			'tickets.title',
			'tickets.status',
			'tickets.source',
			'tickets.reporter_email as reporterEmail',
			'tickets.reporter_name as reporterName',
			'tickets.discord_display_name as discordName',
			'tickets.last_activity_at as lastActivityAt',
			'tickets.created_at as createdAt',
			'projects.key as projectKey',
			'projects.name as projectName',
			'ticket_types.name as typeName',
			'customers.name as customerName',
			'r.read_at as readAt',
			'tickets.project_id as projectId',
			'tickets.assignee_id as assigneeId',
			'a.name as assigneeName'
		])
		.orderBy(order[0], 'desc')
		.orderBy(order[1], 'desc')
		.limit(PAGE_SIZE)
		.offset((page - 1) * PAGE_SIZE)
		.execute();
	const tagsOf = await tags.ofTickets(
		db,
		rows.map((r) => r.id)
	);
	return {
		rows: rows.map(({ readAt, ...r }) => ({
			...r,
			tags: tagsOf.get(r.id) ?? [],
			unread: readAt === null || readAt < r.lastActivityAt
		})),
		total,
		capped,
		page,
		pages
	};
}

/** How many rows a (LIMITed) subquery returns. */
async function countOf(db: Conn, rows: AliasedSelectQueryBuilder<{ one: number }, 'm'>) {
	const r = await db
		.selectFrom(rows)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(r.n);
}

/**
 * How many open or waiting tickets each view holds (Mine, Unassigned, All), each counted only up
 * to COUNT_CAP in one index range, so the counts cost the same at a million tickets.
 */
export async function viewCounts(db: Conn, staffUserId: number) {
	// As in `inbox`: PostgreSQL counts in index order; SQLite's unordered count reads the
	// (assignee, status, …) or (status, …) index alone, where the ordered one reads the table.
	const pg = dialectOf(db) === 'postgres';
	const count = async (view: 'mine' | 'unassigned' | '') => {
		let q = db
			.selectFrom('tickets')
			.select(sql.lit(1).as('one'))
			.where('status', 'in', ['open', 'waiting']);
		if (pg) q = q.orderBy('last_activity_at', 'desc').orderBy('id', 'desc');
		if (view === 'mine') q = q.where('assignee_id', '=', staffUserId);
		if (view === 'unassigned') q = q.where('assignee_id', 'is', null);
		const n = await countOf(db, q.limit(COUNT_CAP + 1).as('m'));
		return { n: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
	};
	const [mine, unassigned, all] = await Promise.all([
		count('mine'),
		count('unassigned'),
		count('')
	]);
	return { mine, unassigned, all };
}

/** Records that a staff member has seen a ticket's activity up to now. */
export async function markRead(
	db: Conn,
	staffUserId: number,
	ticketId: number,
	now = Date.now()
): Promise<void> {
	await db
		.insertInto('staff_ticket_reads')
		.values({ staff_user_id: staffUserId, ticket_id: ticketId, read_at: now })
		.onConflict((oc) => oc.columns(['staff_user_id', 'ticket_id']).doUpdateSet({ read_at: now }))
		.execute();
}

/** What the inbox filters offer: projects, types in use, customers. */
export async function filterOptions(db: Conn) {
	const [projects, types, customers] = await Promise.all([
		db.selectFrom('projects').select(['key', 'name']).orderBy('name').execute(),
		db
			.selectFrom('ticket_types')
			.select(['key', 'name'])
			.where('archived_at', 'is', null)
			.groupBy(['key', 'name'])
			.orderBy('name')
			.execute(),
		db.selectFrom('customers').select(['id', 'name']).orderBy('name').limit(500).execute()
	]);
	return { projects, types, customers };
}
