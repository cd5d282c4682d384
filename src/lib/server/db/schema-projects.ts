import type { Generated } from 'kysely';
import type { FieldKind } from '$lib/shared/field-kinds';

/** Milliseconds since the Unix epoch (UTC). */
type Millis = number;
/** SQLite boolean. */
type Bool = 0 | 1;

// Projects, their ticket types and templates, and customers with their intake links; merged
// into `DB` by schema.ts (a file of its own only to keep schema.ts short).

export interface ProjectsTable {
	id: Generated<number>;
	key: string;
	name: string;
	description: Generated<string>;
	default_ticket_type_id: number | null;
	enforced_template_id: number | null;
	anonymous_creation: Generated<Bool>;
	/** 0012: 0 = /tickets lists nothing from this project. */
	portal_enabled: Generated<Bool>;
	created_at: Millis;
	updated_at: Millis;
	/** 0011: `{alias}@INBOUND_DOMAIN` opens tickets here too; null = only `{key}@…`. */
	mail_alias: string | null;
	/** 0019: resolve tickets waiting on the reporter after this many days; null = off. */
	auto_close_days: number | null;
	/** 0016: 1 = ask reporters "Did this solve it?" after each resolve. */
	csat_enabled: Generated<Bool>;
	/** 0016: proof-of-work on the create form: never, above SPAM_POW_AFTER, or always. */
	pow_mode: Generated<PowMode>;
	/** 0015: the language when nothing else matches (a shipped locale code). */
	default_locale: Generated<string>;
	/** 0015: comma-separated locale codes offered to reporters; null = every shipped language. */
	locales: string | null;
	/** 0018: the staff member round-robin assigned this project's last ticket to. */
	round_robin_last: number | null;
	/** 0022: raised by every change to types, templates, fields or bindings (form-config.ts). */
	form_generation: Generated<number>;
}

export type PowMode = 'off' | 'auto' | 'always';

export interface TicketTypesTable {
	id: Generated<number>;
	project_id: number | null;
	key: string;
	name: string;
	description: Generated<string>;
	position: Generated<number>;
	archived_at: Millis | null;
	created_at: Millis;
}

export interface TemplatesTable {
	id: Generated<number>;
	project_id: number;
	name: string;
	description: Generated<string>;
	selectable: Generated<Bool>;
	archived_at: Millis | null;
	created_at: Millis;
	updated_at: Millis;
}

export type FieldVisibility = 'public' | 'hidden' | 'readonly';

export interface TemplateFieldsTable {
	id: Generated<number>;
	template_id: number;
	key: string;
	label: string;
	help: Generated<string>;
	kind: FieldKind;
	required: Generated<Bool>;
	visibility: Generated<FieldVisibility>;
	/** JSON */
	default_value: string | null;
	/** JSON array of { value, label } */
	options: Generated<string>;
	min: number | null;
	max: number | null;
	pattern: string | null;
	position: Generated<number>;
}

export interface TemplateBindingsTable {
	id: Generated<number>;
	project_id: number;
	ticket_type_id: number | null;
	template_id: number;
	created_at: Millis;
}

export interface CustomersTable {
	id: Generated<number>;
	name: string;
	email: string | null;
	notes: Generated<string>;
	created_at: Millis;
}

export interface CustomerIntakeLinksTable {
	id: Generated<number>;
	token_hash: string;
	project_id: number;
	customer_id: number;
	expires_at: Millis;
	revoked_at: Millis | null;
	created_by: number | null;
	created_at: Millis;
}

export interface ProjectTables {
	projects: ProjectsTable;
	ticket_types: TicketTypesTable;
	templates: TemplatesTable;
	template_fields: TemplateFieldsTable;
	template_bindings: TemplateBindingsTable;
	customers: CustomersTable;
	customer_intake_links: CustomerIntakeLinksTable;
}
