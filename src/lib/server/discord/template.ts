import type { Conn } from '$lib/server/db';
import type { Project } from '$lib/server/db/schema';
import * as templates from '$lib/server/templates';

export type { FieldDef, FullTemplate } from '$lib/server/templates';
export type { RawValues } from '$lib/shared/template-menu';
export { readFields, snapshot } from '$lib/server/templates';

/**
 * The template a Discord ticket of `typeId` gets, by the create page's rules (a template bound to
 * the type, else the project's enforced one). Where the web form lets the reporter pick a
 * template, Discord offers no picker, so the ticket gets none, as on the web when none is picked.
 */
export async function templateFor(
	db: Conn,
	secret: Uint8Array,
	project: Project,
	typeId: number
): Promise<templates.FullTemplate | null> {
	const resolved = templates.resolve(await templates.loadCatalog(db, secret, project), typeId);
	return resolved.mode === 'choice' ? null : resolved.template;
}
