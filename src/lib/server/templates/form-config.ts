import type { Db } from '$lib/server/db';
import type { Project, TicketType } from '$lib/server/db/schema';
import { listTypes } from '$lib/server/projects';
import { loadCatalog, type Catalog } from './index';

/** What the public create form of a project offers: its ticket types and templates. */
export interface FormConfig {
	types: readonly TicketType[];
	catalog: Catalog;
}

interface Remembered extends FormConfig {
	generation: number;
	enforcedId: number | null;
}

const remembered = new WeakMap<Db, Map<number, Remembered>>();

/**
 * The create form's configuration for `project` (a row read just now), read from the database
 * (five statements) only when it changed since this process last read it: the project's
 * `form_generation`, raised by triggers on every change to types, templates, fields and bindings
 * (migration 0022), and its enforced template must be the ones it was read at. The project row is
 * read before the configuration, so what is remembered is never older than the generation it is
 * remembered for; another instance's or the CLI's change is seen by the next request that reads
 * the project. Callers must not change what they get (it is shared).
 */
export async function formConfig(
	db: Db,
	secret: Uint8Array,
	project: Pick<Project, 'id' | 'enforced_template_id' | 'form_generation'>
): Promise<FormConfig> {
	let byProject = remembered.get(db);
	if (!byProject) remembered.set(db, (byProject = new Map()));
	const known = byProject.get(project.id);
	if (
		known &&
		known.generation === project.form_generation &&
		known.enforcedId === project.enforced_template_id
	)
		return known;
	const config: Remembered = {
		types: Object.freeze(await listTypes(db, project.id)),
		catalog: await loadCatalog(db, secret, project),
		generation: project.form_generation,
		enforcedId: project.enforced_template_id
	};
	byProject.set(project.id, config);
	return config;
}
