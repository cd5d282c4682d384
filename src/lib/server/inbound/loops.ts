import type { Email } from 'postal-mime';
import type { InboundEnvelope } from './contract';

const header = (mail: Email, name: string): string[] =>
	mail.headers.filter((h) => h.key === name).map((h) => h.value.trim());

/**
 * Why a message is automatic (RFC 3834 and the usual vendor headers) and must never create,
 * reopen or notify: auto-replies, vacation notices, list mail, bounces. Null for a human's mail.
 */
export function automaticReason(mail: Email, envelope: Pick<InboundEnvelope, 'mailFrom'>) {
	for (const v of header(mail, 'auto-submitted')) {
		if (v.split(';')[0].trim().toLowerCase() !== 'no') return `Auto-Submitted: ${v.slice(0, 40)}`;
	}
	for (const v of header(mail, 'precedence')) {
		if (/^(bulk|junk|list|auto_reply)$/i.test(v)) return `Precedence: ${v}`;
	}
	if (header(mail, 'x-autoreply').length) return 'X-Autoreply';
	if (header(mail, 'x-autorespond').length) return 'X-Autorespond';
	// The envelope is the truth (a header can be forged into a bounce); the IMAP receiver fills
	// it from the Return-Path header its server added.
	const returnPath = (envelope.mailFrom ?? '').replace(/[<>\s]/g, '');
	if (!returnPath) return 'empty return path';
	if (/^(mailer-daemon|postmaster)@/i.test(returnPath)) return 'MAILER-DAEMON return path';
	const type = header(mail, 'content-type')[0] ?? '';
	if (/^multipart\/report\b/i.test(type)) return 'delivery status report';
	return null;
}
