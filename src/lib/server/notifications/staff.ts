import type { Conn, Db } from '$lib/server/db';
import type { OutboundEmail } from '$lib/server/db/schema';
import { escapeHtml, headerText, threadHeaders } from './compose';
import { enqueue } from './outbox';
import type { MailMessage } from './transport';

/**
 * Mail to staff who watch a project: a new ticket, a reply from outside, a reopened ticket.
 * Queued inside the event's transaction like recipient mail; the row's staff_user_id says who.
 */

async function watchers(db: Conn, ticketId: number): Promise<number[]> {
	const rows = await db
		.selectFrom('tickets')
		.innerJoin('staff_project_watches as w', 'w.project_id', 'tickets.project_id')
		.innerJoin('staff_users as s', 's.id', 'w.staff_user_id')
		.select('s.id')
		.where('tickets.id', '=', ticketId)
		.where('s.disabled_at', 'is', null)
		.orderBy('s.id')
		.execute();
	return rows.map((r) => r.id);
}

/** The ticket's assignee if they are active and want mail about their tickets. */
async function assignee(db: Conn, ticketId: number): Promise<number | null> {
	const row = await db
		.selectFrom('tickets')
		.innerJoin('staff_users as s', 's.id', 'tickets.assignee_id')
		.leftJoin('staff_preferences as p', 'p.staff_user_id', 's.id')
		.select('s.id')
		.where('tickets.id', '=', ticketId)
		.where('s.disabled_at', 'is', null)
		.where((eb) => eb.or([eb('p.notify_assigned', 'is', null), eb('p.notify_assigned', '=', 1)]))
		.executeTakeFirst();
	return row?.id ?? null;
}

/**
 * Queues `kind` for the project's watchers and, for news from outside (`assigned` set), the
 * ticket's assignee too — once: an assignee who also watches the project gets the watcher mail.
 */
async function toWatchers(
	db: Conn,
	kind: string,
	ticketId: number,
	messageId: number | null,
	assigned?: string
) {
	const ids = await watchers(db, ticketId);
	for (const staffUserId of ids) {
		await enqueue(db, { kind, ticketId, staffUserId, messageId });
	}
	const owner = assigned ? await assignee(db, ticketId) : null;
	if (assigned && owner !== null && !ids.includes(owner))
		await enqueue(db, { kind: assigned, ticketId, staffUserId: owner, messageId });
}

export const ticketCreated = (db: Conn, ticketId: number) =>
	toWatchers(db, 'staff_ticket_created', ticketId, null);
export const recipientReplied = (db: Conn, ticketId: number, messageId: number) =>
	toWatchers(db, 'staff_recipient_reply', ticketId, messageId, 'staff_assigned_reply');
export const reopened = (db: Conn, ticketId: number, messageId: number | null) =>
	toWatchers(db, 'staff_reopened', ticketId, messageId, 'staff_assigned_reopened');

/** Starts or stops watching a project. */
export async function setWatch(
	db: Conn,
	staffUserId: number,
	projectId: number,
	watch: boolean,
	now = Date.now()
) {
	if (watch) {
		await db
			.insertInto('staff_project_watches')
			.values({ staff_user_id: staffUserId, project_id: projectId, created_at: now })
			.onConflict((oc) => oc.doNothing())
			.execute();
	} else {
		await db
			.deleteFrom('staff_project_watches')
			.where('staff_user_id', '=', staffUserId)
			.where('project_id', '=', projectId)
			.execute();
	}
}

/** Turns mail about replies on tickets assigned to the staff member on or off. */
export async function setNotifyAssigned(db: Conn, staffUserId: number, on: boolean) {
	const value = on ? 1 : 0;
	await db
		.insertInto('staff_preferences')
		.values({ staff_user_id: staffUserId, notify_assigned: value })
		.onConflict((oc) => oc.column('staff_user_id').doUpdateSet({ notify_assigned: value }))
		.execute();
}

/** Whether the staff member gets mail about replies on tickets assigned to them. */
export async function notifiesAssigned(db: Conn, staffUserId: number): Promise<boolean> {
	const row = await db
		.selectFrom('staff_preferences')
		.select('notify_assigned')
		.where('staff_user_id', '=', staffUserId)
		.executeTakeFirst();
	return (row?.notify_assigned ?? 1) === 1;
}

/** Ids of the projects a staff member watches. */
export async function watchedProjects(db: Conn, staffUserId: number): Promise<number[]> {
	return (
		await db
			.selectFrom('staff_project_watches')
			.select('project_id')
			.where('staff_user_id', '=', staffUserId)
			.execute()
	).map((r) => r.project_id);
}

const SUBJECTS: Record<string, (title: string, project: string) => string> = {
	staff_ticket_created: (t, p) => `[${p}] New ticket: ${t}`,
	staff_recipient_reply: (t, p) => `[${p}] New reply: ${t}`,
	staff_reopened: (t, p) => `[${p}] Reopened: ${t}`,
	staff_assigned_reply: (t, p) => `[${p}] New reply: ${t}`,
	staff_assigned_reopened: (t, p) => `[${p}] Reopened: ${t}`
};

/**
 * Composes a staff notification at send time, or null when it is not for staff (the caller then
 * tries the recipient kinds) — or no longer deliverable (account disabled, ticket gone).
 */
export async function composeStaffMail(
	db: Db,
	row: OutboundEmail,
	s: { origin: string; mailFrom: string; secret: Uint8Array }
): Promise<MailMessage | null> {
	const subject = SUBJECTS[row.kind];
	if (!subject || row.staff_user_id === null || row.ticket_id === null) return null;
	const staff = await db
		.selectFrom('staff_users')
		.select(['email', 'name', 'disabled_at'])
		.where('id', '=', row.staff_user_id)
		.executeTakeFirst();
	const ticket = await db
		.selectFrom('tickets')
		.selectAll()
		.where('id', '=', row.ticket_id)
		.executeTakeFirst();
	if (!staff || staff.disabled_at !== null || !ticket) return null;
	const project = await db
		.selectFrom('projects')
		.select('name')
		.where('id', '=', ticket.project_id)
		.executeTakeFirstOrThrow();
	const message =
		row.message_id === null
			? undefined
			: await db
					.selectFrom('messages')
					.select(['author_name', 'body'])
					.where('id', '=', row.message_id)
					.executeTakeFirst();
	const url = `${s.origin}/app/tickets/${ticket.id}`;
	const why = row.kind.startsWith('staff_assigned_')
		? 'You get this because this ticket is assigned to you'
		: 'You get this because you watch this project';
	const quote = message?.body
		? { author: message.author_name, body: message.body }
		: row.kind === 'staff_ticket_created'
			? { author: ticket.reporter_name || ticket.reporter_email, body: ticket.description }
			: undefined;
	const text = [
		`${subject(ticket.title, project.name)}`,
		...(quote
			? [
					`${quote.author} wrote:`,
					quote.body
						.split('\n')
						.map((l) => `> ${l}`)
						.join('\n')
				]
			: []),
		`Open it in the dashboard: ${url}`,
		'-- ',
		`${why}. Change it in the dashboard inbox.`
	].join('\n\n');
	const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:600px;margin:0 auto;padding:16px">
<p>${escapeHtml(subject(ticket.title, project.name))}</p>
${quote ? `<p style="color:#59636e">${escapeHtml(quote.author)} wrote:</p><blockquote style="border-left:3px solid #d0d7de;margin:0;padding:8px 12px;white-space:pre-wrap">${escapeHtml(quote.body)}</blockquote>` : ''}
<p><a href="${escapeHtml(url)}">Open it in the dashboard</a></p>
<p style="font-size:12px;color:#59636e">${why}.</p></body></html>`;
	const host = new URL(s.origin).hostname;
	return {
		from: s.mailFrom,
		to: { name: headerText(staff.name, 80), address: staff.email },
		subject: headerText(subject(ticket.title, project.name)),
		text,
		html,
		...threadHeaders(s.secret, ticket, host, row.id, false),
		headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' }
	};
}
