import { resolve } from 'node:path';
import { z } from 'zod';

const int = (name: string, def: number, min = 0) =>
	z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v.trim() === '') return def;
			const n = Number(v);
			if (!Number.isInteger(n) || n < min) {
				ctx.addIssue({ code: 'custom', message: `${name} must be a whole number ≥ ${min}` });
				return z.NEVER;
			}
			return n;
		});

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const env = z.object({
	PORT: int('PORT', 3000, 1),
	HOST: z.string().default('0.0.0.0'),
	ORIGIN: z.string().optional(),
	DATA_DIR: z.string().default('./data'),
	SMTP_URL: z
		.string()
		.optional()
		.refine((v) => !v || /^smtps?:\/\//.test(v), 'SMTP_URL must start with smtp:// or smtps://'),
	MAIL_FROM: z.string().optional(),
	LOG_LEVEL: z.enum(logLevels, { message: `LOG_LEVEL must be one of ${logLevels.join(', ')}` }).default('info'),
	SECRET_KEY: z
		.string()
		.optional()
		.refine((v) => !v || v.length >= 32, 'SECRET_KEY must be at least 32 characters'),
	/** Outbox worker: how often it looks for due mail when not woken (ms). */
	OUTBOX_POLL_MS: int('OUTBOX_POLL_MS', 5000, 50),
	// Staff side: failed-or-not login attempts allowed per 15 minutes (0 = no limit).
	LOGIN_LIMIT_PER_EMAIL: int('LOGIN_LIMIT_PER_EMAIL', 10),
	LOGIN_LIMIT_PER_CLIENT: int('LOGIN_LIMIT_PER_CLIENT', 30)
});

export type Config = ReturnType<typeof loadConfig>;

/** Thrown for a bad setting; its message is one line a self-hoster can act on. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}

/**
 * Resolves the configuration from environment variables, applying documented defaults.
 * Throws ConfigError with a one-line reason for a bad value.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env) {
	const parsed = env.safeParse(source);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new ConfigError(`Invalid configuration: ${issue.message} (${issue.path.join('.')})`);
	}
	const e = parsed.data;
	const origin = parseOrigin(e.ORIGIN ?? `http://localhost:${e.PORT}`);
	const dataDir = resolve(e.DATA_DIR);
	return {
		port: e.PORT,
		host: e.HOST,
		origin,
		secure: origin.startsWith('https://'),
		dataDir,
		dbFile: resolve(dataDir, 'portal.db'),
		mailDir: resolve(dataDir, 'mail'),
		attachmentsDir: resolve(dataDir, 'attachments'),
		smtpUrl: e.SMTP_URL || null,
		mailFrom: e.MAIL_FROM || `Ticket Portal <no-reply@${new URL(origin).hostname}>`,
		logLevel: e.LOG_LEVEL,
		secretKey: e.SECRET_KEY || null,
		outboxPollMs: e.OUTBOX_POLL_MS,
		staff: {
			loginPerEmail: e.LOGIN_LIMIT_PER_EMAIL,
			loginPerClient: e.LOGIN_LIMIT_PER_CLIENT,
			loginWindowSec: 900
		}
	};
}

function parseOrigin(value: string): string {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new ConfigError(`Invalid configuration: ORIGIN must be a URL like https://help.example.com (got "${value}")`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new ConfigError('Invalid configuration: ORIGIN must start with http:// or https://');
	}
	return url.origin;
}
