import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Conn } from '$lib/server/db';
import type { TemplateField, TicketType } from '$lib/server/db/schema';
import {
	pick,
	type PublicField,
	type PublicTemplate,
	type TemplateMenu,
	type TemplateMode
} from '$lib/shared/template-menu';

import type { FieldDef, FullTemplate } from './types';

export { publicRaw, readFields, snapshot } from './fields';
export type { FieldDef, FullTemplate } from './types';

/** A project's live templates and how they are offered. */
export interface Catalog {
	templates: Map<number, FullTemplate>;
	/** ticket type id → template id */
	byType: Map<number, number>;
	enforcedId: number | null;
	choiceIds: number[];
}

export interface Resolved {
	mode: TemplateMode;
	template: FullTemplate | null;
	choices: FullTemplate[];
}

const encoder = new TextEncoder();

/** The public key of a template (stable per install, reveals nothing about the id). */
export function publicKey(secret: Uint8Array, id: number): string {
	const mac = hmac(SHA256, secret, encoder.encode(`template|${id}`));
	return 't' + encodeBase32LowerCaseNoPadding(mac.slice(0, 10));
}

function json<T>(text: string | null, fallback: T): T {
	if (text === null) return fallback;
	try {
		return JSON.parse(text) as T;
	} catch {
		return fallback;
	}
}

function toDef(f: TemplateField): FieldDef {
	const options = json<unknown>(f.options, []);
	return {
		key: f.key,
		label: f.label,
		help: f.help,
		kind: f.kind,
		required: f.required === 1,
		visibility: f.visibility,
		defaultValue: json<unknown>(f.default_value, null),
		options: Array.isArray(options)
			? options
					.filter((o) => o && typeof o.value === 'string')
					.map((o) => ({
						value: o.value as string,
						label: typeof o.label === 'string' ? o.label : o.value
					}))
			: [],
		min: f.min,
		max: f.max,
		pattern: f.pattern
	};
}

/**
 * Loads a project's live (not archived) templates with their fields and offers:
 * a template bound to a ticket type applies to that type; `projects.enforced_template_id` applies
 * to every other type; otherwise the reporter may pick a template that is `selectable` or bound
 * project-wide (binding without a type).
 */
export async function loadCatalog(
	db: Conn,
	secret: Uint8Array,
	project: { id: number; enforced_template_id: number | null }
): Promise<Catalog> {
	const rows = await db
		.selectFrom('templates')
		.selectAll()
		.where('project_id', '=', project.id)
		.where('archived_at', 'is', null)
		.orderBy('name')
		.orderBy('id')
		.execute();
	const ids = rows.map((t) => t.id);
	const fields = ids.length
		? await db
				.selectFrom('template_fields')
				.selectAll()
				.where('template_id', 'in', ids)
				.orderBy('position')
				.orderBy('id')
				.execute()
		: [];
	const bindings = await db
		.selectFrom('template_bindings')
		.select(['ticket_type_id', 'template_id'])
		.where('project_id', '=', project.id)
		.orderBy('id')
		.execute();

	const templates = new Map<number, FullTemplate>();
	for (const t of rows) {
		templates.set(t.id, {
			id: t.id,
			key: publicKey(secret, t.id),
			name: t.name,
			description: t.description,
			fields: fields.filter((f) => f.template_id === t.id).map(toDef)
		});
	}
	const byType = new Map<number, number>();
	const projectWide = new Set<number>();
	for (const b of bindings) {
		if (!templates.has(b.template_id)) continue;
		if (b.ticket_type_id === null) projectWide.add(b.template_id);
		else if (!byType.has(b.ticket_type_id)) byType.set(b.ticket_type_id, b.template_id);
	}
	const enforcedId =
		project.enforced_template_id !== null && templates.has(project.enforced_template_id)
			? project.enforced_template_id
			: null;
	const choiceIds = rows
		.filter((t) => t.selectable === 1 || projectWide.has(t.id))
		.map((t) => t.id);
	return { templates, byType, enforcedId, choiceIds };
}

/**
 * The template that applies to a ticket of `typeId`: a binding for the type wins, then the
 * project's enforced template, then the reporter's choice among the selectable ones (by public
 * key; unknown keys choose none), else none.
 */
export function resolve(catalog: Catalog, typeId: number, chosenKey?: string | null): Resolved {
	const boundId = catalog.byType.get(typeId);
	if (boundId !== undefined)
		return { mode: 'type', template: catalog.templates.get(boundId)!, choices: [] };
	if (catalog.enforcedId !== null)
		return { mode: 'project', template: catalog.templates.get(catalog.enforcedId)!, choices: [] };
	const choices = catalog.choiceIds.map((id) => catalog.templates.get(id)!);
	if (choices.length)
		return { mode: 'choice', template: choices.find((t) => t.key === chosenKey) ?? null, choices };
	return { mode: 'none', template: null, choices: [] };
}

/** Only what a reporter may see of a field. Hidden/read-only fields never get here. */
function publicField(f: FieldDef): PublicField {
	return {
		key: f.key,
		label: f.label,
		help: f.help,
		kind: f.kind,
		required: f.required,
		options: f.options,
		min: f.min,
		max: f.max,
		pattern: f.pattern
	};
}

/** A template as the browser may see it: public fields only, no defaults. */
export function publicTemplate(t: FullTemplate): PublicTemplate {
	return {
		key: t.key,
		name: t.name,
		description: t.description,
		fields: t.fields.filter((f) => f.visibility === 'public').map(publicField)
	};
}

/**
 * The public-safe metadata of every template the page may switch to (per ticket type, enforced,
 * selectable), so changing the type needs no request. `pick()` on it gives the same answer as
 * `resolve()` on the catalog.
 */
export function publicMenu(
	catalog: Catalog,
	types: readonly Pick<TicketType, 'id' | 'key'>[]
): TemplateMenu {
	const menu: TemplateMenu = { templates: {}, byType: {}, enforced: null, choices: [] };
	const add = (id: number) => {
		const t = catalog.templates.get(id)!;
		menu.templates[t.key] ??= publicTemplate(t);
		return t.key;
	};
	for (const type of types) {
		const id = catalog.byType.get(type.id);
		if (id !== undefined) menu.byType[type.key] = add(id);
	}
	if (catalog.enforcedId !== null) menu.enforced = add(catalog.enforcedId);
	else menu.choices = catalog.choiceIds.map(add);
	return menu;
}

export { pick };
