import { z } from 'zod';
import { ConfigError, int } from './env';

/** Reply by email: off while INBOUND_DOMAIN is unset. */
export const inboundEnv = z.object({
	INBOUND_DOMAIN: z
		.string()
		.optional()
		.refine(
			(v) => !v || /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i.test(v.trim()),
			'INBOUND_DOMAIN must be a host name like support.example.com'
		),
	INBOUND_SMTP_PORT: int('INBOUND_SMTP_PORT', 0),
	INBOUND_SMTP_HOST: z.string().default('127.0.0.1'),
	INBOUND_SMTP_LMTP: z
		.enum(['', 'true', 'false', '1', '0'], { message: 'INBOUND_SMTP_LMTP must be true or false' })
		.optional(),
	INBOUND_TLS_CERT: z.string().optional(),
	INBOUND_TLS_KEY: z.string().optional(),
	INBOUND_SMTP_MAX_CLIENTS: int('INBOUND_SMTP_MAX_CLIENTS', 20, 1),
	INBOUND_MAX_MESSAGE_BYTES: int('INBOUND_MAX_MESSAGE_BYTES', 0),
	INBOUND_IMAP_URL: z
		.string()
		.optional()
		.refine(
			(v) => !v || /^imaps?:\/\//.test(v),
			'INBOUND_IMAP_URL must start with imap:// or imaps://'
		),
	INBOUND_IMAP_DONE: z.string().default('Processed'),
	INBOUND_IMAP_FAILED: z.string().default('Failed'),
	/** Mails to project addresses per sender address per window (0 = no limit). */
	INBOUND_SENDER_LIMIT: int('INBOUND_SENDER_LIMIT', 20),
	INBOUND_SENDER_WINDOW_SEC: int('INBOUND_SENDER_WINDOW_SEC', 3600, 1),
	/** "This project takes no tickets by mail" notices per sender address per window. */
	INBOUND_NOTICE_LIMIT: int('INBOUND_NOTICE_LIMIT', 1),
	INBOUND_NOTICE_WINDOW_SEC: int('INBOUND_NOTICE_WINDOW_SEC', 86_400, 1)
});

/**
 * Reply by email: addresses, the SMTP/LMTP listener, the IMAP mailbox and the limits.
 * `publicMaxBytes` (the public upload total) sizes the default message limit.
 */
export function inboundConfig(e: z.infer<typeof inboundEnv>, publicMaxBytes: number) {
	const domain = e.INBOUND_DOMAIN?.trim().toLowerCase() || null;
	const port = e.INBOUND_SMTP_PORT || null;
	const imapUrl = e.INBOUND_IMAP_URL?.trim() || null;
	if (!domain && (port || imapUrl))
		throw new ConfigError(
			'Invalid configuration: INBOUND_SMTP_PORT and INBOUND_IMAP_URL need INBOUND_DOMAIN (the domain of the reply addresses)'
		);
	const cert = e.INBOUND_TLS_CERT?.trim() || null;
	const key = e.INBOUND_TLS_KEY?.trim() || null;
	if (!cert !== !key)
		throw new ConfigError(
			'Invalid configuration: set both INBOUND_TLS_CERT and INBOUND_TLS_KEY (PEM files) for STARTTLS, or neither'
		);
	const folder = (name: string, v: string) => {
		const f = v.trim();
		if (!f || /[\u0000-\u001f*%]/.test(f))
			throw new ConfigError(`Invalid configuration: ${name} must be an IMAP folder name`);
		return f;
	};
	// Base64 makes attachments a third larger; 1 MiB more for the text, HTML and headers.
	const maxBytes = e.INBOUND_MAX_MESSAGE_BYTES || Math.ceil((publicMaxBytes * 4) / 3) + 1024 * 1024;
	return {
		/** Domain of reply and project addresses; null = reply by email is off. */
		domain,
		smtp: port
			? {
					port,
					host: e.INBOUND_SMTP_HOST.trim() || '127.0.0.1',
					lmtp: e.INBOUND_SMTP_LMTP === 'true' || e.INBOUND_SMTP_LMTP === '1',
					tls: cert && key ? { cert, key } : null,
					maxClients: e.INBOUND_SMTP_MAX_CLIENTS
				}
			: null,
		imap: imapUrl
			? {
					url: imapUrl,
					done: folder('INBOUND_IMAP_DONE', e.INBOUND_IMAP_DONE),
					failed: folder('INBOUND_IMAP_FAILED', e.INBOUND_IMAP_FAILED)
				}
			: null,
		/** Largest message accepted (bytes): refused at DATA above it. */
		maxMessageBytes: maxBytes,
		senderLimit: { points: e.INBOUND_SENDER_LIMIT, durationSec: e.INBOUND_SENDER_WINDOW_SEC },
		noticeLimit: { points: e.INBOUND_NOTICE_LIMIT, durationSec: e.INBOUND_NOTICE_WINDOW_SEC }
	};
}
