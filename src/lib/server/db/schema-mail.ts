import type { Generated } from 'kysely';

/** Milliseconds since the Unix epoch (UTC). */
type Millis = number;

// Mail out (the outbox) and mail in (handled inbound messages); merged into `DB` by schema.ts
// (a file of its own only to keep schema.ts short).

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

export interface MailTables {
	outbound_emails: OutboundEmailsTable;
	inbound_messages: InboundMessagesTable;
}
