import type { Db } from '$lib/server/db';
import type { FieldKind, FieldVisibility, NewTemplateField } from '$lib/server/db/schema';
import * as projects from '$lib/server/projects';

// Template builders for specs: templates with fields, bindings, a project's type ids.

export async function makeTemplate(
	db: Db,
	projectId: number,
	name: string,
	opts: { selectable?: 0 | 1; archived?: boolean; fields?: Partial<NewTemplateField>[] } = {}
) {
	const now = Date.now();
	const t = await db
		.insertInto('templates')
		.values({
			project_id: projectId,
			name,
			selectable: opts.selectable ?? 0,
			archived_at: opts.archived ? now : null,
			created_at: now,
			updated_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const fields = opts.fields ?? [
		{ key: name.toLowerCase().replace(/[^a-z]/g, ''), label: name, kind: 'text' }
	];
	if (fields.length) {
		await db
			.insertInto('template_fields')
			.values(
				fields.map((f, i) => ({
					template_id: t.id,
					key: `f${i}`,
					label: `Field ${i}`,
					help: '',
					kind: 'text' as const,
					required: 0 as const,
					visibility: 'public' as const,
					options: '[]',
					default_value: null,
					min: null,
					max: null,
					pattern: null,
					position: i,
					...f
				}))
			)
			.execute();
	}
	return t.id;
}

export async function bind(db: Db, projectId: number, templateId: number, typeId: number | null) {
	await db
		.insertInto('template_bindings')
		.values({
			project_id: projectId,
			ticket_type_id: typeId,
			template_id: templateId,
			created_at: Date.now()
		})
		.execute();
}

export async function typeIds(db: Db, projectId: number) {
	const types = await projects.listTypes(db, projectId);
	return Object.fromEntries(types.map((t) => [t.key, t.id])) as Record<string, number>;
}

export interface FieldSpec {
	key: string;
	label?: string;
	kind?: FieldKind;
	required?: boolean;
	visibility?: FieldVisibility;
	options?: { value: string; label: string }[];
	defaultValue?: unknown;
}

/** A template with the given fields (required unless said not), bound to a built-in type. */
export async function bindTemplate(
	db: Db,
	projectId: number,
	typeKey: string,
	fields: FieldSpec[]
) {
	const type = await db
		.selectFrom('ticket_types')
		.select('id')
		.where('project_id', 'is', null)
		.where('key', '=', typeKey)
		.executeTakeFirstOrThrow();
	const templateId = await makeTemplate(db, projectId, `T ${typeKey}`, {
		fields: fields.map((f) => ({
			key: f.key,
			label: f.label ?? f.key[0].toUpperCase() + f.key.slice(1),
			kind: f.kind ?? 'text',
			required: f.required === false ? 0 : 1,
			visibility: f.visibility ?? 'public',
			default_value: f.defaultValue === undefined ? null : JSON.stringify(f.defaultValue),
			options: JSON.stringify(f.options ?? [])
		}))
	});
	await bind(db, projectId, templateId, type.id);
	return { templateId, typeId: type.id };
}
