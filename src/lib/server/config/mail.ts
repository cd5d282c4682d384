import { z } from 'zod';
import { int } from './env';

/** Mail: transport, sender, and the outbox worker's schedule. */
export const mailEnv = z.object({
	SMTP_URL: z
		.string()
		.optional()
		.refine((v) => !v || /^smtps?:\/\//.test(v), 'SMTP_URL must start with smtp:// or smtps://'),
	MAIL_FROM: z.string().optional(),
	/** Outbox worker: how often it looks for due mail when not woken (ms). */
	OUTBOX_POLL_MS: int('OUTBOX_POLL_MS', 5000, 50),
	/** Delay before the first retry (ms); it doubles per attempt, capped at 6 hours. */
	OUTBOX_RETRY_BASE_MS: int('OUTBOX_RETRY_BASE_MS', 30_000, 10),
	/** Attempts before a mail is marked failed (it can be retried from the dashboard). */
	OUTBOX_MAX_ATTEMPTS: int('OUTBOX_MAX_ATTEMPTS', 10, 1),
	/** Seconds a worker owns the mail it claimed; a dead instance's mail is retried after it. */
	OUTBOX_LEASE_SEC: int('OUTBOX_LEASE_SEC', 600, 1),
	/** How often the auto-close job looks for tickets waiting too long on the reporter. */
	AUTO_CLOSE_INTERVAL_SEC: int('AUTO_CLOSE_INTERVAL_SEC', 3600, 1)
});

/** The mail transport and sender (default: no-reply at the origin's host), outbox and auto-close timing. */
export function mailConfig(e: z.infer<typeof mailEnv>, origin: string) {
	return {
		smtpUrl: e.SMTP_URL || null,
		mailFrom: e.MAIL_FROM || `Ticket Portal <no-reply@${new URL(origin).hostname}>`,
		outboxPollMs: e.OUTBOX_POLL_MS,
		autoCloseIntervalMs: e.AUTO_CLOSE_INTERVAL_SEC * 1000,
		mail: {
			retryBaseMs: e.OUTBOX_RETRY_BASE_MS,
			maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
			leaseMs: e.OUTBOX_LEASE_SEC * 1000
		}
	};
}
