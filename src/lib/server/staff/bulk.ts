import type { Conn, Db } from '$lib/server/db';
import type { StaffUser, TicketStatus } from '$lib/server/db/schema';
import { transaction } from '$lib/server/db/transaction';
import { DomainError } from '$lib/server/errors';
import * as projects from '$lib/server/projects';
import * as tags from '$lib/server/tags';
import { assignIn } from '$lib/server/tickets/assign';
import { statusIn, typeIn } from './actions';

/** One change applied to every selected ticket of a bulk action. */
export type BulkChange =
	| { kind: 'status'; status: TicketStatus }
	| { kind: 'type'; type: string }
	| { kind: 'assignee'; assigneeId: number | null }
	| { kind: 'addTag'; tag: string }
	| { kind: 'removeTag'; tag: string };

/** The most tickets one bulk action changes (a few inbox pages). */
export const BULK_MAX = 100;

type Actor = Pick<StaffUser, 'id' | 'name'>;

/** The selected tickets as the confirmation lists them: id, title and project, in id order. */
export async function selection(db: Conn, ticketIds: number[]) {
	const ids = [...new Set(ticketIds)].slice(0, BULK_MAX);
	if (ids.length === 0) return [];
	return db
		.selectFrom('tickets')
		.innerJoin('projects', 'projects.id', 'tickets.project_id')
		.select([
			'tickets.id',
			'tickets.title',
			'tickets.project_id as projectId',
			'projects.name as projectName'
		])
		.where('tickets.id', 'in', ids)
		.orderBy('tickets.id')
		.execute();
}

/**
 * Applies `change` to every ticket in `expected` (ticket id → the project it was in when the
 * selection was confirmed) in ONE transaction, each ticket with its own events, notifications
 * and audit rows as if changed alone. Any refusal — a ticket gone or moved to another project,
 * a disabled assignee, a type its project lacks — throws a DomainError naming it, and nothing
 * is changed. Returns how many tickets actually changed.
 */
export async function apply(
	db: Db,
	input: { expected: Map<number, number>; change: BulkChange; actor: Actor },
	now = Date.now()
): Promise<number> {
	if (input.expected.size === 0) throw new DomainError('Select at least one ticket.');
	if (input.expected.size > BULK_MAX)
		throw new DomainError(`Change at most ${BULK_MAX} tickets at once.`);
	const c = input.change;
	return transaction(db, async (tx) => {
		const rows = await tx
			.selectFrom('tickets')
			.select(['id', 'title', 'project_id'])
			.where('id', 'in', [...input.expected.keys()])
			.orderBy('id')
			.execute();
		if (rows.length < input.expected.size)
			throw new DomainError('One of the selected tickets no longer exists; nothing was changed.');
		let changed = 0;
		for (const t of rows) {
			if (input.expected.get(t.id) !== t.project_id)
				throw new DomainError(
					`“${t.title}” moved to another project since you selected it; nothing was changed.`
				);
			const base = { ticketId: t.id, actor: input.actor };
			let done: boolean;
			if (c.kind === 'status') done = await statusIn(tx, { ...base, status: c.status }, now);
			else if (c.kind === 'assignee')
				done = await assignIn(tx, { ...base, assigneeId: c.assigneeId }, now).catch((e) => {
					throw e instanceof DomainError
						? new DomainError(`${e.message} Nothing was changed.`, 'assignee')
						: e;
				});
			else if (c.kind === 'type') {
				const type = (await projects.listTypes(tx, t.project_id)).find((x) => x.key === c.type);
				if (!type)
					throw new DomainError(
						`“${t.title}” is in a project without that type; nothing was changed.`,
						'value'
					);
				done = await typeIn(tx, { ...base, typeId: type.id, typeName: type.name }, now);
			} else if (c.kind === 'addTag') done = await tags.addIn(tx, { ...base, tag: c.tag }, now);
			else done = await tags.removeIn(tx, { ...base, tag: c.tag }, now);
			if (done) changed++;
		}
		return changed;
	});
}
