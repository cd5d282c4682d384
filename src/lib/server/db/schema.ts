import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { IntegrationTables as Integrations } from './schema-integrations';
import type { WorkflowTables } from './schema-workflow';
import type { FieldKind } from '$lib/shared/field-kinds';
import type { TicketStatus } from '$lib/shared/types';

/** Milliseconds since the Unix epoch (UTC). */
type Millis = number;
/** SQLite boolean. */
type Bool = 0 | 1;

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

export type { FieldKind, TicketStatus };
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

export interface StaffUsersTable {
	id: Generated<number>;
	email: string;
	name: string;
	password_hash: string;
	role: 'admin' | 'agent';
	disabled_at: Millis | null;
	created_at: Millis;
}

export type TicketSource = 'portal' | 'discord' | 'staff' | 'email';

export interface TicketsTable {
	id: Generated<number>;
	thread_key: string;
	project_id: number;
	ticket_type_id: number | null;
	template_id: number | null;
	title: string;
	description: string;
	status: Generated<TicketStatus>;
	source: Generated<TicketSource>;
	reporter_email: string;
	reporter_name: string | null;
	discord_user_id: string | null;
	discord_display_name: string | null;
	customer_id: number | null;
	/** JSON object */
	custom_fields: Generated<string>;
	/** JSON array: the field definitions the values were validated against */
	custom_fields_schema: Generated<string>;
	created_at: Millis;
	updated_at: Millis;
	last_activity_at: Millis;
	resolved_at: Millis | null;
	/** 0018: the staff member who owns the ticket, if any. */
	assignee_id: Generated<number | null>;
}

export interface TicketRecipientsTable {
	id: Generated<number>;
	ticket_id: number;
	public_id: string;
	email: string;
	name: string | null;
	role: 'reporter' | 'cc';
	channel: Generated<'email' | 'discord'>;
	token_version: Generated<number>;
	unsubscribed_at: Millis | null;
	revoked_at: Millis | null;
	created_at: Millis;
	/** 0012: when the recipient last opened their thread page (the portal's "new" marker). */
	seen_at: Millis | null;
	/** 0015: the language the recipient last used; null = the project's default. */
	locale: string | null;
}

export interface MessagesTable {
	id: Generated<number>;
	public_id: string;
	ticket_id: number;
	kind: Generated<'message' | 'event'>;
	visibility: Generated<'public' | 'internal'>;
	author_recipient_id: number | null;
	author_staff_id: number | null;
	author_name: Generated<string>;
	body: Generated<string>;
	event: string | null;
	created_at: Millis;
}

export interface AttachmentsTable {
	id: Generated<number>;
	public_id: string;
	ticket_id: number;
	message_id: number | null;
	storage_key: string;
	name: string;
	mime: string;
	size: number;
	sha256: string;
	width: number | null;
	height: number | null;
	display_key: string | null;
	thumbnail_key: string | null;
	created_at: Millis;
	/** 0003: image processing done (or given up); NULL = pending. */
	processed_at: Millis | null;
	/** 0014: the worker making its thumbnail, until lease_until; NULL = not claimed. */
	claimed_by: string | null;
	lease_until: Millis | null;
}

/** 0003: bytes uploaded per key ('token:…' / 'client:…') on one UTC day (days since epoch). */
export interface UploadQuotaTable {
	key: string;
	day: number;
	bytes: number;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

export interface OutboundEmailsTable {
	id: Generated<number>;
	kind: string;
	ticket_id: number | null;
	recipient_id: number | null;
	staff_user_id: number | null;
	message_id: number | null;
	/** JSON */
	payload: Generated<string>;
	status: Generated<OutboxStatus>;
	attempts: Generated<number>;
	next_attempt_at: Millis;
	last_error: string | null;
	message_id_header: string | null;
	created_at: Millis;
	sent_at: Millis | null;
	/** 0009: the worker delivering it, until lease_until; NULL = not claimed. */
	claimed_by: string | null;
	lease_until: Millis | null;
}

export interface SessionsTable {
	id: string;
	staff_user_id: number;
	expires_at: Millis;
	created_at: Millis;
}

/** 0012: one mailed portal sign-in (link + code); only hashes are stored. */
export interface PortalSignInsTable {
	id: Generated<number>;
	public_id: string;
	token_hash: string;
	code_hash: string;
	code_tries: Generated<number>;
	email: string;
	expires_at: Millis;
	used_at: Millis | null;
	created_at: Millis;
}

/** 0012: a reporter's portal session (by email or by Discord user); id = SHA-256 of the token. */
export interface PortalSessionsTable {
	id: string;
	email: string | null;
	discord_user_id: string | null;
	expires_at: Millis;
	created_at: Millis;
}

export interface SetupTokensTable {
	id: Generated<number>;
	token_hash: string;
	purpose: 'setup' | 'invite';
	role: Generated<'admin' | 'agent'>;
	email: string | null;
	expires_at: Millis;
	used_at: Millis | null;
	created_by: number | null;
	created_at: Millis;
}

export interface AuditEventsTable {
	id: Generated<number>;
	ticket_id: number | null;
	actor_kind: 'system' | 'staff' | 'recipient' | 'anonymous';
	actor_id: number | null;
	action: string;
	data: Generated<string>;
	created_at: Millis;
}

/** Projects a staff member watches (migration 0007). */
export interface StaffProjectWatchesTable {
	staff_user_id: number;
	project_id: number;
	created_at: Millis;
}

/** When a staff member last looked at a ticket (migration 0007). */
export interface StaffTicketReadsTable {
	staff_user_id: number;
	ticket_id: number;
	read_at: Millis;
}

/** 0011: one row per inbound mail handled (dedup, and the From address staff see). */
export interface InboundMessagesTable {
	id: Generated<number>;
	dedup_key: string;
	outcome: 'reply' | 'ticket' | 'auto_reply' | 'notice';
	ticket_id: number | null;
	message_id: number | null;
	from_address: string | null;
	transport: 'smtp' | 'lmtp' | 'imap';
	created_at: Millis;
}

/** 0019: a reply text agents insert; project_id null = every project. */
export interface SavedRepliesTable {
	id: Generated<number>;
	project_id: number | null;
	title: string;
	body: string;
	created_at: Millis;
	updated_at: Millis;
}

/** 0016: one row per ticket per resolve ("Did this solve it?"); the latest answer wins. */
export interface CsatRoundsTable {
	id: Generated<number>;
	ticket_id: number;
	project_id: number;
	/** The resolve that opened the round (= tickets.resolved_at while it is open). */
	started_at: Millis;
	answer: 'solved' | 'not_solved' | null;
	comment: string | null;
	answered_at: Millis | null;
}

/** 0016: spent proof-of-work challenges, kept until they would have expired anyway. */
export interface PowSpentTable {
	signature: string;
	expires_at: Millis;
}

export interface SchemaMigrationsTable {
	version: string;
	applied_at: Millis;
}

export interface DB extends Integrations, WorkflowTables {
	projects: ProjectsTable;
	ticket_types: TicketTypesTable;
	templates: TemplatesTable;
	template_fields: TemplateFieldsTable;
	template_bindings: TemplateBindingsTable;
	customers: CustomersTable;
	customer_intake_links: CustomerIntakeLinksTable;
	staff_users: StaffUsersTable;
	tickets: TicketsTable;
	ticket_recipients: TicketRecipientsTable;
	messages: MessagesTable;
	attachments: AttachmentsTable;
	upload_quota: UploadQuotaTable;
	outbound_emails: OutboundEmailsTable;
	sessions: SessionsTable;
	portal_sign_ins: PortalSignInsTable;
	portal_sessions: PortalSessionsTable;
	setup_tokens: SetupTokensTable;
	audit_events: AuditEventsTable;
	schema_migrations: SchemaMigrationsTable;
	staff_project_watches: StaffProjectWatchesTable;
	staff_ticket_reads: StaffTicketReadsTable;
	inbound_messages: InboundMessagesTable;
	saved_replies: SavedRepliesTable;
	csat_rounds: CsatRoundsTable;
	pow_spent: PowSpentTable;
}

export type Project = Selectable<ProjectsTable>;
export type TicketType = Selectable<TicketTypesTable>;
export type Template = Selectable<TemplatesTable>;
export type TemplateField = Selectable<TemplateFieldsTable>;
export type NewTemplateField = Insertable<TemplateFieldsTable>;
export type Customer = Selectable<CustomersTable>;
export type StaffUser = Selectable<StaffUsersTable>;
export type Ticket = Selectable<TicketsTable>;
export type TicketUpdate = Updateable<TicketsTable>;
export type Recipient = Selectable<TicketRecipientsTable>;
export type Message = Selectable<MessagesTable>;
export type Attachment = Selectable<AttachmentsTable>;
export type OutboundEmail = Selectable<OutboundEmailsTable>;
export type Session = Selectable<SessionsTable>;
export type PortalSession = Selectable<PortalSessionsTable>;
export type DiscordGuild = Selectable<Integrations['discord_guilds']>;
export type DiscordSession = Selectable<Integrations['discord_sessions']>;
