import type { Conn } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';

/** Bindings of a project: which template each ticket type uses (type null = offered project-wide). */
export function listBindings(db: Conn, projectId: number) {
	return db
		.selectFrom('template_bindings as b')
		.innerJoin('templates as t', 't.id', 'b.template_id')
		.leftJoin('ticket_types as ty', 'ty.id', 'b.ticket_type_id')
		.select([
			'b.id',
			't.name as templateName',
			't.id as templateId',
			'ty.name as typeName',
			'ty.key as typeKey'
		])
		.where('b.project_id', '=', projectId)
		.orderBy('ty.position')
		.execute();
}

/**
 * Binds a template to a ticket type of the project (one template per type: a new binding
 * replaces the old), or project-wide when typeId is null.
 */
export async function bind(
	db: Conn,
	projectId: number,
	typeId: number | null,
	templateId: number,
	now = Date.now()
) {
	const t = await db
		.selectFrom('templates')
		.select('id')
		.where('id', '=', templateId)
		.where('project_id', '=', projectId)
		.executeTakeFirst();
	if (!t) throw new DomainError('Choose one of this project’s templates.', 'template');
	if (typeId !== null)
		await db
			.deleteFrom('template_bindings')
			.where('project_id', '=', projectId)
			.where('ticket_type_id', '=', typeId)
			.execute();
	await db
		.insertInto('template_bindings')
		.values({
			project_id: projectId,
			ticket_type_id: typeId,
			template_id: templateId,
			created_at: now
		})
		.onConflict((oc) => oc.doNothing())
		.execute();
}

export async function unbind(db: Conn, projectId: number, bindingId: number) {
	await db
		.deleteFrom('template_bindings')
		.where('id', '=', bindingId)
		.where('project_id', '=', projectId)
		.execute();
}
