import type { Conn, Db, Tx } from '$lib/server/db';
import { dialectOf } from '$lib/server/db/dialect';
import { transaction } from '$lib/server/db/transaction';
import { DomainError } from '$lib/server/errors';
import * as audit from '$lib/server/audit';
import { addEvent } from './events';

type Actor = { id: number; name: string };

/** Staff a ticket can be assigned to: active agents and admins, by name. */
export function assignable(db: Conn) {
	return db
		.selectFrom('staff_users')
		.select(['id', 'name', 'email'])
		.where('disabled_at', 'is', null)
		.orderBy('name')
		.orderBy('id')
		.execute();
}

/**
 * Who a ticket's assignee picker offers: the active staff, plus the current assignee marked
 * "(disabled)" when their account is off (shown as the current value until someone changes it).
 */
export async function assigneeOptions(db: Conn, current: number | null) {
	const people = await assignable(db);
	if (current === null || people.some((p) => p.id === current)) return people;
	const gone = await db
		.selectFrom('staff_users')
		.select(['id', 'name', 'email'])
		.where('id', '=', current)
		.executeTakeFirst();
	return gone ? [...people, { ...gone, name: `${gone.name} (disabled)` }] : people;
}

/** The active staff member `id`, or a DomainError saying why they can't own tickets. */
async function activeStaff(db: Conn, id: number) {
	const s = await db
		.selectFrom('staff_users')
		.select(['id', 'name', 'disabled_at'])
		.where('id', '=', id)
		.executeTakeFirst();
	if (!s) throw new DomainError('That staff member does not exist.', 'assignee');
	if (s.disabled_at !== null)
		throw new DomainError(
			`${s.name}'s account is disabled, so they can't be assigned.`,
			'assignee'
		);
	return s;
}

/**
 * Sets (or clears, with null) a ticket's assignee inside `tx`, with an internal event in its
 * conversation (staff only, never on the reporter's thread) and an audit row. Refuses a disabled
 * or unknown assignee with a DomainError. Returns false when the ticket already had that assignee.
 */
export async function assignIn(
	tx: Tx,
	input: { ticketId: number; assigneeId: number | null; actor: Actor | null },
	now = Date.now()
): Promise<boolean> {
	const t = await tx
		.selectFrom('tickets')
		.select('assignee_id')
		.where('id', '=', input.ticketId)
		.executeTakeFirstOrThrow();
	const to = input.assigneeId === null ? null : await activeStaff(tx, input.assigneeId);
	if ((t.assignee_id ?? null) === (to?.id ?? null)) return false;
	await tx
		.updateTable('tickets')
		.set({ assignee_id: to?.id ?? null, updated_at: now })
		.where('id', '=', input.ticketId)
		.execute();
	const by = input.actor ? ` by ${input.actor.name}` : ' by round-robin';
	await addEvent(
		tx,
		{
			ticketId: input.ticketId,
			name: to ? 'assigned' : 'unassigned',
			visibility: 'internal',
			body: to ? `Assigned to ${to.name}${by}` : `Unassigned${by}`
		},
		now
	);
	await audit.record(
		tx,
		{
			ticketId: input.ticketId,
			actor: input.actor ? { kind: 'staff', id: input.actor.id } : { kind: 'system', id: null },
			action: 'ticket.assign',
			data: { from: t.assignee_id ?? null, to: to?.id ?? null }
		},
		now
	);
	return true;
}

/** `assignIn` in a transaction of its own: one staff action. */
export function assign(
	db: Db,
	input: { ticketId: number; assigneeId: number | null; actor: Actor },
	now = Date.now()
): Promise<boolean> {
	return transaction(db, (tx) => assignIn(tx, input, now));
}

/**
 * The next agent of a project's round-robin, after the one it picked last (by id, wrapping),
 * skipping disabled accounts; null when the project has none. Runs inside the ticket's create
 * transaction: on PostgreSQL the project row is locked before the last pick is read (`FOR NO
 * KEY UPDATE`, which the new ticket's foreign-key lock on the same row does not conflict with),
 * so concurrent creations on any instance take turns and never pick the same agent twice in a
 * row; SQLite has one writer.
 */
export async function roundRobinNext(tx: Tx, projectId: number): Promise<number | null> {
	// Most projects have no round-robin: one statement finds that out, and locks nothing.
	const pool = await tx
		.selectFrom('project_round_robin as r')
		.innerJoin('staff_users as s', 's.id', 'r.staff_user_id')
		.select('s.id')
		.where('r.project_id', '=', projectId)
		.where('s.disabled_at', 'is', null)
		.orderBy('s.id')
		.execute();
	if (pool.length === 0) return null;
	let lock = tx.selectFrom('projects').select('round_robin_last').where('id', '=', projectId);
	if (dialectOf(tx) === 'postgres') lock = lock.forNoKeyUpdate();
	const project = await lock.executeTakeFirst();
	if (!project) return null;
	const last = project.round_robin_last ?? 0;
	const next = (pool.find((s) => s.id > last) ?? pool[0]).id;
	await tx
		.updateTable('projects')
		.set({ round_robin_last: next })
		.where('id', '=', projectId)
		.execute();
	return next;
}

/** The agents chosen for a project's round-robin (ids); empty = off. */
export async function roundRobinOf(db: Conn, projectId: number): Promise<number[]> {
	const rows = await db
		.selectFrom('project_round_robin')
		.select('staff_user_id')
		.where('project_id', '=', projectId)
		.orderBy('staff_user_id')
		.execute();
	return rows.map((r) => r.staff_user_id);
}

/** Replaces a project's round-robin agents (an empty list turns it off). */
export async function setRoundRobin(db: Db, projectId: number, staffIds: number[]) {
	await transaction(db, async (tx) => {
		for (const id of staffIds) await activeStaff(tx, id);
		await tx.deleteFrom('project_round_robin').where('project_id', '=', projectId).execute();
		if (staffIds.length)
			await tx
				.insertInto('project_round_robin')
				.values([...new Set(staffIds)].map((id) => ({ project_id: projectId, staff_user_id: id })))
				.execute();
	});
}
