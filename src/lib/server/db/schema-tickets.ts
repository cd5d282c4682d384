import type { Generated } from 'kysely';
import type { TicketStatus } from '$lib/shared/types';

/** Milliseconds since the Unix epoch (UTC). */
type Millis = number;

// Tickets and what hangs on them: recipients, messages, attachments, upload quotas, satisfaction
// rounds and the audit trail; merged into `DB` by schema.ts (a file of its own only to keep
// schema.ts short).

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

export interface AuditEventsTable {
	id: Generated<number>;
	ticket_id: number | null;
	actor_kind: 'system' | 'staff' | 'recipient' | 'anonymous';
	actor_id: number | null;
	action: string;
	data: Generated<string>;
	created_at: Millis;
}

export interface TicketTables {
	tickets: TicketsTable;
	ticket_recipients: TicketRecipientsTable;
	messages: MessagesTable;
	attachments: AttachmentsTable;
	upload_quota: UploadQuotaTable;
	csat_rounds: CsatRoundsTable;
	audit_events: AuditEventsTable;
}
