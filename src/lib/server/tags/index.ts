import type { Conn, Db, Tx } from '$lib/server/db';
import { transaction } from '$lib/server/db/transaction';
import { DomainError } from '$lib/server/errors';
import * as audit from '$lib/server/audit';
import { addEvent } from '$lib/server/tickets/events';

/** Free tags per project: a ticket carries any number of its project's tags. */

export const MAX_TAG_LENGTH = 40;

type Actor = { id: number; name: string };

/** A tag as stored: trimmed, inner spaces collapsed, lower case; refuses empty or over-long ones. */
export function normalize(raw: string): string {
	const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
	if (!name) throw new DomainError('Enter a tag.', 'tag');
	if (name.length > MAX_TAG_LENGTH)
		throw new DomainError(`Keep a tag under ${MAX_TAG_LENGTH + 1} characters.`, 'tag');
	return name;
}

function ticketOf(tx: Conn, ticketId: number) {
	return tx
		.selectFrom('tickets')
		.select(['project_id', 'last_activity_at', 'status', 'assignee_id'])
		.where('id', '=', ticketId)
		.executeTakeFirstOrThrow();
}

async function change(
	tx: Tx,
	input: { ticketId: number; tag: string; actor: Actor },
	add: boolean,
	now: number
): Promise<boolean> {
	const name = normalize(input.tag);
	const ticket = await ticketOf(tx, input.ticketId);
	const projectId = ticket.project_id;
	if (add)
		await tx
			.insertInto('tags')
			.values({ project_id: projectId, name, created_at: now })
			.onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
			.execute();
	const tag = await tx
		.selectFrom('tags')
		.select('id')
		.where('project_id', '=', projectId)
		.where('name', '=', name)
		.executeTakeFirst();
	if (!tag) return false;
	const done = add
		? await tx
				.insertInto('ticket_tags')
				.values({
					ticket_id: input.ticketId,
					tag_id: tag.id,
					name,
					last_activity_at: ticket.last_activity_at,
					status: ticket.status,
					assignee_id: ticket.assignee_id
				})
				.onConflict((oc) => oc.columns(['ticket_id', 'tag_id']).doNothing())
				.executeTakeFirst()
		: await tx
				.deleteFrom('ticket_tags')
				.where('ticket_id', '=', input.ticketId)
				.where('tag_id', '=', tag.id)
				.executeTakeFirst();
	const rows = Number(
		'numInsertedOrUpdatedRows' in done ? done.numInsertedOrUpdatedRows : done.numDeletedRows
	);
	if (!rows) return false;
	await addEvent(
		tx,
		{
			ticketId: input.ticketId,
			name: add ? 'tag_added' : 'tag_removed',
			visibility: 'internal',
			body: `Tag “${name}” ${add ? 'added' : 'removed'} by ${input.actor.name}`
		},
		now
	);
	await audit.record(
		tx,
		{
			ticketId: input.ticketId,
			actor: { kind: 'staff', id: input.actor.id },
			action: add ? 'ticket.tag_added' : 'ticket.tag_removed',
			data: { tag: name }
		},
		now
	);
	return true;
}

/** Tags a ticket inside `tx` (the tag is created in its project on first use); false if it had it. */
export const addIn = (
	tx: Tx,
	input: { ticketId: number; tag: string; actor: Actor },
	now = Date.now()
) => change(tx, input, true, now);

/** Takes a tag off a ticket inside `tx`; false if it didn't have it. */
export const removeIn = (
	tx: Tx,
	input: { ticketId: number; tag: string; actor: Actor },
	now = Date.now()
) => change(tx, input, false, now);

/** `addIn` as one staff action. */
export const add = (db: Db, input: { ticketId: number; tag: string; actor: Actor }) =>
	transaction(db, (tx) => addIn(tx, input));

/** `removeIn` as one staff action. */
export const remove = (db: Db, input: { ticketId: number; tag: string; actor: Actor }) =>
	transaction(db, (tx) => removeIn(tx, input));

/** The tags of some tickets, by ticket id, each list by name. */
export async function ofTickets(db: Conn, ticketIds: number[]): Promise<Map<number, string[]>> {
	const out = new Map<number, string[]>();
	if (ticketIds.length === 0) return out;
	const rows = await db
		.selectFrom('ticket_tags as tt')
		.innerJoin('tags', 'tags.id', 'tt.tag_id')
		.select(['tt.ticket_id', 'tags.name'])
		.where('tt.ticket_id', 'in', ticketIds)
		.orderBy('tags.name')
		.execute();
	for (const r of rows) out.set(r.ticket_id, [...(out.get(r.ticket_id) ?? []), r.name]);
	return out;
}

/** Tag names for autocomplete: one project's, or (no project) every project's, by name. */
export async function names(db: Conn, projectId?: number): Promise<string[]> {
	let q = db.selectFrom('tags').select('name').distinct().orderBy('name').limit(500);
	if (projectId !== undefined) q = q.where('project_id', '=', projectId);
	return (await q.execute()).map((r) => r.name);
}
