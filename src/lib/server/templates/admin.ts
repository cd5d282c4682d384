import type { Conn } from '$lib/server/db';
import type { FieldKind, FieldVisibility } from '$lib/server/db/schema';
import { DomainError } from '$lib/server/errors';

export { bind, listBindings, unbind } from './bindings';

/** A field as the template editor submits it (strings as typed). */
export interface FieldInput {
	key: string;
	label: string;
	help: string;
	kind: FieldKind;
	visibility: FieldVisibility;
	required: boolean;
	defaultValue: string;
	/** One option per line: `value` or `value | Label`. */
	options: string;
	min: string;
	max: string;
	pattern: string;
	position: number;
}

/** Parses "value | Label" lines into options. */
export function parseOptions(text: string): { value: string; label: string }[] {
	return text
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean)
		.map((l) => {
			const [value, ...rest] = l.split('|');
			return { value: value.trim(), label: rest.join('|').trim() || value.trim() };
		});
}

function num(s: string, field: string): number | null {
	if (s === '') return null;
	const n = Number(s);
	if (!Number.isFinite(n)) throw new DomainError('Enter a number or leave it empty.', field);
	return n;
}

/**
 * Turns the typed default into its stored JSON for the kind, or null for none. Select defaults
 * must be one of the options.
 */
export function parseDefault(
	input: Pick<FieldInput, 'kind' | 'defaultValue'>,
	options: { value: string }[]
): string | null {
	const v = input.defaultValue.trim();
	if (v === '') return null;
	const values = options.map((o) => o.value);
	switch (input.kind) {
		case 'number': {
			const n = Number(v);
			if (!Number.isFinite(n))
				throw new DomainError('The default of a number field must be a number.', 'defaultValue');
			return JSON.stringify(n);
		}
		case 'checkbox':
			if (!['true', 'false', 'yes', 'no'].includes(v.toLowerCase()))
				throw new DomainError('Use true or false.', 'defaultValue');
			return JSON.stringify(['true', 'yes'].includes(v.toLowerCase()));
		case 'multiselect': {
			const list = v
				.split(',')
				.map((x) => x.trim())
				.filter(Boolean);
			if (list.some((x) => !values.includes(x)))
				throw new DomainError('Defaults must be option values.', 'defaultValue');
			return JSON.stringify(list);
		}
		case 'select':
			if (!values.includes(v))
				throw new DomainError('The default must be one of the option values.', 'defaultValue');
			return JSON.stringify(v);
		default:
			return JSON.stringify(v);
	}
}

/**
 * Adds a field to a template, or updates the field with the same key. Refuses a hidden or
 * read-only required field without a default: nobody could ever fill it in.
 */
export async function saveField(db: Conn, templateId: number, input: FieldInput): Promise<void> {
	const options =
		input.kind === 'select' || input.kind === 'multiselect' ? parseOptions(input.options) : [];
	if ((input.kind === 'select' || input.kind === 'multiselect') && options.length === 0) {
		throw new DomainError('A choice field needs at least one option.', 'options');
	}
	const defaultValue = parseDefault(input, options);
	if (input.required && input.visibility !== 'public' && defaultValue === null) {
		throw new DomainError(
			`A ${input.visibility} required field needs a default: reporters cannot fill it in.`,
			'defaultValue'
		);
	}
	if (input.pattern) {
		try {
			new RegExp(input.pattern, 'v');
		} catch {
			throw new DomainError('This is not a valid regular expression.', 'pattern');
		}
	}
	const values = {
		label: input.label,
		help: input.help,
		kind: input.kind,
		required: (input.required ? 1 : 0) as 0 | 1,
		visibility: input.visibility,
		default_value: defaultValue,
		options: JSON.stringify(options),
		min: num(input.min, 'min'),
		max: num(input.max, 'max'),
		pattern: input.pattern || null,
		position: input.position
	};
	await db
		.insertInto('template_fields')
		.values({ template_id: templateId, key: input.key, ...values })
		.onConflict((oc) => oc.columns(['template_id', 'key']).doUpdateSet(values))
		.execute();
	await db
		.updateTable('templates')
		.set({ updated_at: Date.now() })
		.where('id', '=', templateId)
		.execute();
}

export async function deleteField(db: Conn, templateId: number, fieldId: number): Promise<void> {
	await db
		.deleteFrom('template_fields')
		.where('id', '=', fieldId)
		.where('template_id', '=', templateId)
		.execute();
}

/** A project's templates (archived ones too, marked). */
export function list(db: Conn, projectId: number) {
	return db
		.selectFrom('templates')
		.selectAll()
		.where('project_id', '=', projectId)
		.orderBy('name')
		.execute();
}

/** A template with its fields in order, or undefined. */
export async function get(db: Conn, templateId: number) {
	const template = await db
		.selectFrom('templates')
		.selectAll()
		.where('id', '=', templateId)
		.executeTakeFirst();
	if (!template) return undefined;
	const fields = await db
		.selectFrom('template_fields')
		.selectAll()
		.where('template_id', '=', templateId)
		.orderBy('position')
		.orderBy('id')
		.execute();
	return { template, fields };
}

/** A template's details as the editor submits them. */
export interface TemplateInput {
	name: string;
	description: string;
	selectable: boolean;
}

const columns = (input: TemplateInput) => ({
	name: input.name,
	description: input.description,
	selectable: (input.selectable ? 1 : 0) as 0 | 1
});

export async function create(db: Conn, projectId: number, input: TemplateInput, now = Date.now()) {
	return db
		.insertInto('templates')
		.values({
			project_id: projectId,
			...columns(input),
			archived_at: null,
			created_at: now,
			updated_at: now
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}

export async function update(db: Conn, templateId: number, input: TemplateInput, now = Date.now()) {
	await db
		.updateTable('templates')
		.set({ ...columns(input), updated_at: now })
		.where('id', '=', templateId)
		.execute();
}
