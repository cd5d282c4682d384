import type { Db } from '$lib/server/db';
import type { FieldKind, FieldVisibility } from '$lib/server/db/schema';

export interface FieldSpec {
	key: string;
	label?: string;
	kind?: FieldKind;
	required?: boolean;
	visibility?: FieldVisibility;
	options?: { value: string; label: string }[];
	defaultValue?: unknown;
}

/** A template with the given fields, bound to a built-in ticket type of the project. */
export async function bindTemplate(
	db: Db,
	projectId: number,
	typeKey: string,
	fields: FieldSpec[]
) {
	const now = Date.now();
	const type = await db
		.selectFrom('ticket_types')
		.select('id')
		.where('project_id', 'is', null)
		.where('key', '=', typeKey)
		.executeTakeFirstOrThrow();
	const template = await db
		.insertInto('templates')
		.values({
			project_id: projectId,
			name: `T ${typeKey}`,
			selectable: 0,
			created_at: now,
			updated_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await db
		.insertInto('template_fields')
		.values(
			fields.map((f, i) => ({
				template_id: template.id,
				key: f.key,
				label: f.label ?? f.key[0].toUpperCase() + f.key.slice(1),
				kind: f.kind ?? 'text',
				required: f.required === false ? 0 : 1,
				visibility: f.visibility ?? 'public',
				default_value: f.defaultValue === undefined ? null : JSON.stringify(f.defaultValue),
				options: JSON.stringify(f.options ?? []),
				min: null,
				max: null,
				pattern: null,
				position: i
			}))
		)
		.execute();
	await db
		.insertInto('template_bindings')
		.values({
			project_id: projectId,
			ticket_type_id: type.id,
			template_id: template.id,
			created_at: now
		})
		.execute();
	return { templateId: template.id, typeId: type.id };
}
