import type { Conn } from '$lib/server/db';
import type { FieldKind, FieldVisibility, Project } from '$lib/server/db/schema';

/*
 * INTERIM until the create page's template module (issue 3) is merged: the same shapes as
 * `$lib/server/templates` (FieldDef, FullTemplate, readFields, snapshot), so this file is the
 * only one to swap for `templates.loadCatalog` + `templates.resolve`.
 */

export interface FieldDef {
	key: string;
	label: string;
	help: string;
	kind: FieldKind;
	required: boolean;
	visibility: FieldVisibility;
	defaultValue: unknown;
	options: { value: string; label: string }[];
	min: number | null;
	max: number | null;
	pattern: string | null;
}

export interface FullTemplate {
	id: number;
	fields: FieldDef[];
}

export type RawValues = Record<string, string | string[]>;

export type FieldResult =
	{ ok: true; values: Record<string, unknown> } | { ok: false; errors: Record<string, string[]> };

function json<T>(text: string | null, fallback: T): T {
	try {
		return text === null ? fallback : (JSON.parse(text) as T);
	} catch {
		return fallback;
	}
}

/**
 * The template a Discord ticket of `typeId` gets: the one bound to the type, else the project's
 * enforced template, else none (Discord offers no template choice).
 */
export async function templateFor(
	db: Conn,
	_secret: Uint8Array,
	project: Project,
	typeId: number
): Promise<FullTemplate | null> {
	const bound = await db
		.selectFrom('template_bindings')
		.innerJoin('templates', 'templates.id', 'template_bindings.template_id')
		.select('templates.id')
		.where('template_bindings.project_id', '=', project.id)
		.where('template_bindings.ticket_type_id', '=', typeId)
		.where('templates.archived_at', 'is', null)
		.orderBy('template_bindings.id')
		.executeTakeFirst();
	const id = bound?.id ?? project.enforced_template_id;
	if (id === null) return null;
	const rows = await db
		.selectFrom('template_fields')
		.selectAll()
		.where('template_id', '=', id)
		.orderBy('position')
		.orderBy('id')
		.execute();
	return {
		id,
		fields: rows.map((f) => ({
			key: f.key,
			label: f.label,
			help: f.help,
			kind: f.kind,
			required: f.required === 1,
			visibility: f.visibility,
			defaultValue: json<unknown>(f.default_value, null),
			options: json<{ value: string; label: string }[]>(f.options, []),
			min: f.min,
			max: f.max,
			pattern: f.pattern
		}))
	};
}

/** Validates public values and adds hidden/read-only defaults (a small subset of issue 3's rules). */
export function readFields(template: FullTemplate | null, raw: RawValues): FieldResult {
	if (!template) return { ok: true, values: {} };
	const values: Record<string, unknown> = {};
	const errors: Record<string, string[]> = {};
	for (const f of template.fields) {
		if (f.visibility !== 'public') {
			if (f.defaultValue !== null) values[f.key] = f.defaultValue;
			continue;
		}
		const v = raw[f.key];
		const text = typeof v === 'string' ? v.trim() : '';
		const err = (m: string) => (errors[f.key] = [m]);
		if (!text) {
			if (f.required && f.kind !== 'multiselect' && f.kind !== 'checkbox')
				err(`Fill in “${f.label}”.`);
			continue;
		}
		if (f.kind === 'select' && !f.options.some((o) => o.value === text))
			err(`Choose one of the options for “${f.label}”.`);
		else if (f.kind === 'number' && !Number.isFinite(Number(text)))
			err(`Enter a number for “${f.label}”.`);
		else if (f.kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text))
			err(`Enter an email address like name@example.com for “${f.label}”.`);
		else if (f.kind === 'url' && !/^https?:\/\/\S+$/.test(text))
			err(`Enter a web address starting with https:// for “${f.label}”.`);
		else if (f.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(text))
			err(`Enter a date for “${f.label}”.`);
		else values[f.key] = f.kind === 'number' ? Number(text) : text;
	}
	return Object.keys(errors).length ? { ok: false, errors } : { ok: true, values };
}

/** The field definitions stored with the ticket. */
export function snapshot(template: FullTemplate | null): unknown[] {
	return (template?.fields ?? []).map((f) => ({ ...f, default: f.defaultValue }));
}
