import type { Conn } from '$lib/server/db';
import { cleanLine, cleanText } from '$lib/shared/clean-text';

/** What a saved reply's placeholders stand for, on one ticket for one agent. */
export interface PlaceholderValues {
	reporter_name: string;
	ticket_title: string;
	agent_name: string;
	project_name: string;
}

export const PLACEHOLDERS = [
	'reporter_name',
	'ticket_title',
	'agent_name',
	'project_name'
] as const satisfies readonly (keyof PlaceholderValues)[];

/**
 * Fills the placeholders in one pass, so a value that itself looks like a placeholder (a reporter
 * named "{agent_name}") stays as typed. The result is plain text for the reply box: like any reply
 * it is escaped wherever it is shown (pages, mail HTML), never interpreted as markup.
 */
export function fill(body: string, values: PlaceholderValues): string {
	return body.replace(/\{(reporter_name|ticket_title|agent_name|project_name)\}/g, (_, k) =>
		String(values[k as keyof PlaceholderValues])
	);
}

export interface SavedReplyInput {
	/** null = offered on every project. */
	projectId: number | null;
	title: string;
	body: string;
}

/** Every saved reply with its project's name (null = all projects), by title: the admin list. */
export function list(db: Conn) {
	return db
		.selectFrom('saved_replies')
		.leftJoin('projects', 'projects.id', 'saved_replies.project_id')
		.select([
			'saved_replies.id',
			'saved_replies.project_id as projectId',
			'saved_replies.title',
			'saved_replies.body',
			'projects.name as project'
		])
		.orderBy('saved_replies.title')
		.orderBy('saved_replies.id')
		.execute();
}

/** The saved replies offered on a project's tickets: its own and the global ones, by title. */
export function forProject(db: Conn, projectId: number) {
	return db
		.selectFrom('saved_replies')
		.select(['id', 'title', 'body'])
		.where((eb) => eb.or([eb('project_id', '=', projectId), eb('project_id', 'is', null)]))
		.orderBy('title')
		.orderBy('id')
		.execute();
}

/** Adds a saved reply; returns its id. */
export async function create(db: Conn, input: SavedReplyInput, now = Date.now()) {
	const row = await db
		.insertInto('saved_replies')
		.values({
			project_id: input.projectId,
			title: cleanLine(input.title),
			body: cleanText(input.body),
			created_at: now,
			updated_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Changes a saved reply; false when it does not exist (any more). */
export async function update(db: Conn, id: number, input: SavedReplyInput, now = Date.now()) {
	const r = await db
		.updateTable('saved_replies')
		.set({
			project_id: input.projectId,
			title: cleanLine(input.title),
			body: cleanText(input.body),
			updated_at: now
		})
		.where('id', '=', id)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

/** Deletes a saved reply; false when it was already gone. */
export async function remove(db: Conn, id: number) {
	const r = await db.deleteFrom('saved_replies').where('id', '=', id).executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}
