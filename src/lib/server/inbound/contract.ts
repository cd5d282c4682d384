/**
 * The one border between the receivers of inbound mail (the SMTP/LMTP listener, the IMAP poller)
 * and the pipeline that turns a message into a reply or a ticket. Both receivers hand every
 * message to the same `receive`, so behaviour never depends on how the mail arrived.
 */

export interface InboundEnvelope {
	/** SMTP `MAIL FROM` (the return path); `null` for the null sender `<>`. IMAP: the Return-Path header. */
	mailFrom: string | null;
	/**
	 * Addresses the message was delivered to: SMTP `RCPT TO`; for IMAP the Delivered-To,
	 * X-Original-To, To and Cc headers, in that order.
	 */
	rcptTo: string[];
	/** The connecting server (SMTP) or the IMAP host: the "client" of the per-client limits. */
	client: string;
	transport: 'smtp' | 'lmtp' | 'imap';
}

export type InboundOutcome =
	/** A reply or a ticket was committed. */
	| { kind: 'stored'; detail: string }
	/** This Message-ID was processed before: nothing was done again. */
	| { kind: 'duplicate'; detail: string }
	/** Deliberately ignored: auto-reply, bounce, throttled sender, notice sent instead of a ticket. */
	| { kind: 'dropped'; detail: string }
	/** Permanent refusal (no such recipient, too large, unreadable): IMAP moves it to `Failed`. */
	| { kind: 'refused'; detail: string };

export interface InboundPipeline {
	/** Whether an address is a live reply address or a project address (the `RCPT TO` check). */
	accepts(address: string): Promise<boolean>;
	/**
	 * Process one raw RFC 5322 message. Resolves only once the outcome is durable; throws only on
	 * a transient failure (database unreachable), after which the receiver must retry later.
	 */
	receive(raw: Uint8Array, envelope: InboundEnvelope): Promise<InboundOutcome>;
}
