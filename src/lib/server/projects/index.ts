import type { Conn } from '$lib/server/db';
import type { Project, TicketType } from '$lib/server/db/schema';

/** A project by its public key (the `{project_id}` of public URLs). */
export function findByKey(db: Conn, key: string): Promise<Project | undefined> {
	if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(key)) return Promise.resolve(undefined);
	return db.selectFrom('projects').selectAll().where('key', '=', key).executeTakeFirst();
}

/** A project by id, or undefined. */
export function get(db: Conn, id: number): Promise<Project | undefined> {
	return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every project's id, key and name, by name (for pickers and watch lists). */
export function listNames(db: Conn): Promise<Pick<Project, 'id' | 'key' | 'name'>[]> {
	return db.selectFrom('projects').select(['id', 'key', 'name']).orderBy('name').execute();
}

/** The ticket types a project offers: built-in ones and its own, not archived, in order. */
export function listTypes(db: Conn, projectId: number): Promise<TicketType[]> {
	return db
		.selectFrom('ticket_types')
		.selectAll()
		.where((eb) => eb.or([eb('project_id', 'is', null), eb('project_id', '=', projectId)]))
		.where('archived_at', 'is', null)
		.orderBy('position')
		.orderBy('id')
		.execute();
}

/** The type a new ticket gets when the reporter picks none: the project default, else the first. */
export function defaultType(
	project: Pick<Project, 'default_ticket_type_id'>,
	types: readonly TicketType[]
): TicketType | undefined {
	return types.find((t) => t.id === project.default_ticket_type_id) ?? types[0];
}
