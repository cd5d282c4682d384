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

const MB = 1024 * 1024;

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const env = z.object({
	// Grouped and ordered as in the README's Configuration section.
	// Server and data (ADDRESS_HEADER and XFF_DEPTH are read by adapter-node itself).
	PORT: int('PORT', 3000, 1),
	HOST: z.string().default('0.0.0.0'),
	ORIGIN: z.string().optional(),
	DATA_DIR: z.string().default('./data'),
	SECRET_KEY: z
		.string()
		.optional()
		.refine((v) => !v || v.length >= 32, 'SECRET_KEY must be at least 32 characters'),
	LOG_LEVEL: z
		.enum(logLevels, { message: `LOG_LEVEL must be one of ${logLevels.join(', ')}` })
		.default('info'),
	// Several instances: the database, shared attachment storage and rate-limit counters.
	// Unset DATABASE_URL: SQLite at DATA_DIR/portal.db.
	DATABASE_URL: z
		.string()
		.optional()
		.refine(
			(v) => !v || /^postgres(ql)?:\/\//.test(v),
			'DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for SQLite)'
		),
	DATABASE_POOL_MAX: int('DATABASE_POOL_MAX', 10, 1),
	STORAGE_URL: z.string().optional(),
	REDIS_URL: z
		.string()
		.optional()
		.refine(
			(v) => !v || /^rediss?:\/\//.test(v),
			'REDIS_URL must start with redis:// or rediss://'
		),
	/** Prefix of the rate-limit keys in Redis (several portals may share one Redis). */
	REDIS_PREFIX: z.string().default('portal:rl:'),
	// Mail: transport, sender, and the outbox worker's schedule.
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
	AUTO_CLOSE_INTERVAL_SEC: int('AUTO_CLOSE_INTERVAL_SEC', 3600, 1),
	// Public abuse limits: tickets and replies per window; 0 turns a limit off.
	CREATE_LIMIT_PER_CLIENT: int('CREATE_LIMIT_PER_CLIENT', 10),
	CREATE_LIMIT_PER_EMAIL: int('CREATE_LIMIT_PER_EMAIL', 5),
	CREATE_LIMIT_GLOBAL: int('CREATE_LIMIT_GLOBAL', 300),
	CREATE_LIMIT_WINDOW_SEC: int('CREATE_LIMIT_WINDOW_SEC', 3600, 1),
	REPLY_LIMIT_PER_TOKEN: int('REPLY_LIMIT_PER_TOKEN', 30),
	REPLY_LIMIT_WINDOW_SEC: int('REPLY_LIMIT_WINDOW_SEC', 3600, 1),
	// Attachments: public ingress limits, staff limits, allowlist, quotas.
	PUBLIC_UPLOAD_MAX_BYTES: int('PUBLIC_UPLOAD_MAX_BYTES', 10 * MB, 1),
	PUBLIC_UPLOAD_MAX_FILE_BYTES: int('PUBLIC_UPLOAD_MAX_FILE_BYTES', 10 * MB, 1),
	PUBLIC_UPLOAD_MAX_FILES: int('PUBLIC_UPLOAD_MAX_FILES', 5, 0),
	STAFF_UPLOAD_MAX_BYTES: int('STAFF_UPLOAD_MAX_BYTES', 50 * MB, 1),
	/** Staff replies and notes: one file, and files per message (the total is the one above). */
	STAFF_UPLOAD_MAX_FILE_BYTES: int('STAFF_UPLOAD_MAX_FILE_BYTES', 50 * MB, 1),
	STAFF_UPLOAD_MAX_FILES: int('STAFF_UPLOAD_MAX_FILES', 10, 0),
	UPLOAD_ALLOWED_TYPES: z.string().optional(),
	UPLOAD_IMAGE_MAX_PIXELS: int('UPLOAD_IMAGE_MAX_PIXELS', 50_000_000, 1),
	UPLOAD_TOKEN_DAILY_BYTES: int('UPLOAD_TOKEN_DAILY_BYTES', 50 * MB, 0),
	UPLOAD_TOKEN_PER_HOUR: int('UPLOAD_TOKEN_PER_HOUR', 20, 0),
	UPLOAD_CLIENT_DAILY_BYTES: int('UPLOAD_CLIENT_DAILY_BYTES', 100 * MB, 0),
	/** Seconds an instance owns an image whose thumbnail it makes; a dead one's is retaken after. */
	THUMBNAIL_LEASE_SEC: int('THUMBNAIL_LEASE_SEC', 120, 1),
	/** Minutes an unreferenced attachment file is kept before the start-up sweep removes it. */
	UPLOAD_ORPHAN_GRACE_MIN: int('UPLOAD_ORPHAN_GRACE_MIN', 60, 0),
	// Docs and suggestions.
	/** Folder of Markdown docs, one sub-folder per project key. */
	DOCS_DIR: z.string().default('./content/docs'),
	/** Suggestion searches per client per minute (0 = no limit). */
	DOCS_SUGGEST_PER_MINUTE: int('DOCS_SUGGEST_PER_MINUTE', 120),
	/** "This answered my question" clicks per client per hour (0 = no limit). */
	DOCS_DEFLECT_PER_HOUR: int('DOCS_DEFLECT_PER_HOUR', 20),
	// Staff sign-in: attempts allowed per 15 minutes, failed or not (0 = no limit).
	LOGIN_LIMIT_PER_EMAIL: int('LOGIN_LIMIT_PER_EMAIL', 10),
	LOGIN_LIMIT_PER_CLIENT: int('LOGIN_LIMIT_PER_CLIENT', 30),
	// My tickets: mailed sign-ins per address and per client in a window (0 = no limit).
	PORTAL_SIGNIN_LIMIT_PER_EMAIL: int('PORTAL_SIGNIN_LIMIT_PER_EMAIL', 5),
	PORTAL_SIGNIN_LIMIT_PER_CLIENT: int('PORTAL_SIGNIN_LIMIT_PER_CLIENT', 20),
	PORTAL_SIGNIN_LIMIT_WINDOW_SEC: int('PORTAL_SIGNIN_LIMIT_WINDOW_SEC', 900, 1),
	// A person's data: exports and erasures per session and per client per hour (0 = no limit).
	DATA_EXPORT_LIMIT_PER_HOUR: int('DATA_EXPORT_LIMIT_PER_HOUR', 10),
	// Proof-of-work on the create form (pow/): tickets per client and hour before it is asked
	// (0 = only projects set to "always"), and the difficulty range (counter values to search).
	SPAM_POW_AFTER: int('SPAM_POW_AFTER', 3),
	SPAM_POW_MIN_NUMBER: int('SPAM_POW_MIN_NUMBER', 50_000, 1),
	SPAM_POW_MAX_NUMBER: int('SPAM_POW_MAX_NUMBER', 1_000_000, 1),
	SPAM_POW_EXPIRE_SEC: int('SPAM_POW_EXPIRE_SEC', 300, 10),
	DATA_ERASE_LIMIT_PER_HOUR: int('DATA_ERASE_LIMIT_PER_HOUR', 5),
	// Discord: off while DISCORD_PUBLIC_KEY is unset.
	DISCORD_PUBLIC_KEY: z
		.string()
		.optional()
		.refine(
			(v) => !v || /^[0-9a-fA-F]{64}$/.test(v),
			'DISCORD_PUBLIC_KEY must be the 64 hex characters shown in the Developer Portal'
		),
	DISCORD_APPLICATION_ID: z
		.string()
		.optional()
		.refine(
			(v) => !v || /^\d{5,25}$/.test(v),
			'DISCORD_APPLICATION_ID must be the numeric application id'
		),
	DISCORD_BOT_TOKEN: z.string().optional(),
	/** OAuth2 client secret: "Sign in with Discord" on /tickets/login (with the application id). */
	DISCORD_CLIENT_SECRET: z.string().optional(),
	DISCORD_API_BASE: z
		.string()
		.optional()
		.refine(
			(v) => !v || /^https?:\/\//.test(v),
			'DISCORD_API_BASE must start with https:// or http://'
		),
	DISCORD_CREATE_LIMIT_PER_USER: int('DISCORD_CREATE_LIMIT_PER_USER', 5),
	DISCORD_CREATE_LIMIT_WINDOW_SEC: int('DISCORD_CREATE_LIMIT_WINDOW_SEC', 3600, 1),
	DISCORD_FORM_TTL_SEC: int('DISCORD_FORM_TTL_SEC', 1800, 60),
	// Reply by email: off while INBOUND_DOMAIN is unset.
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
		/** PostgreSQL connection string; null = SQLite in `dbFile`. */
		databaseUrl: e.DATABASE_URL || null,
		databasePoolMax: e.DATABASE_POOL_MAX,
		mailDir: resolve(dataDir, 'mail'),
		attachmentsDir: resolve(dataDir, 'attachments'),
		storage: parseStorageUrl(e.STORAGE_URL, dataDir),
		redisUrl: e.REDIS_URL || null,
		redisPrefix: e.REDIS_PREFIX,
		secretKey: e.SECRET_KEY || null,
		logLevel: e.LOG_LEVEL,
		smtpUrl: e.SMTP_URL || null,
		mailFrom: e.MAIL_FROM || `Ticket Portal <no-reply@${new URL(origin).hostname}>`,
		outboxPollMs: e.OUTBOX_POLL_MS,
		autoCloseIntervalMs: e.AUTO_CLOSE_INTERVAL_SEC * 1000,
		mail: {
			retryBaseMs: e.OUTBOX_RETRY_BASE_MS,
			maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
			leaseMs: e.OUTBOX_LEASE_SEC * 1000
		},
		createLimits: {
			perClient: e.CREATE_LIMIT_PER_CLIENT,
			perEmail: e.CREATE_LIMIT_PER_EMAIL,
			global: e.CREATE_LIMIT_GLOBAL,
			windowSec: e.CREATE_LIMIT_WINDOW_SEC
		},
		threads: {
			replyLimit: { points: e.REPLY_LIMIT_PER_TOKEN, durationSec: e.REPLY_LIMIT_WINDOW_SEC }
		},
		uploads: {
			publicMaxBytes: e.PUBLIC_UPLOAD_MAX_BYTES,
			publicMaxFileBytes: Math.min(e.PUBLIC_UPLOAD_MAX_FILE_BYTES, e.PUBLIC_UPLOAD_MAX_BYTES),
			publicMaxFiles: e.PUBLIC_UPLOAD_MAX_FILES,
			staffMaxBytes: e.STAFF_UPLOAD_MAX_BYTES,
			staffMaxFileBytes: Math.min(e.STAFF_UPLOAD_MAX_FILE_BYTES, e.STAFF_UPLOAD_MAX_BYTES),
			staffMaxFiles: e.STAFF_UPLOAD_MAX_FILES,
			/** Detected (magic-byte) MIME types accepted; null = the built-in list. */
			allowedTypes: e.UPLOAD_ALLOWED_TYPES?.trim()
				? e.UPLOAD_ALLOWED_TYPES.split(',')
						.map((t) => t.trim().toLowerCase())
						.filter(Boolean)
				: null,
			imageMaxPixels: e.UPLOAD_IMAGE_MAX_PIXELS,
			thumbnailLeaseMs: e.THUMBNAIL_LEASE_SEC * 1000,
			tokenDailyBytes: e.UPLOAD_TOKEN_DAILY_BYTES,
			tokenPerHour: e.UPLOAD_TOKEN_PER_HOUR,
			clientDailyBytes: e.UPLOAD_CLIENT_DAILY_BYTES,
			orphanGraceMin: e.UPLOAD_ORPHAN_GRACE_MIN
		},
		docs: {
			dir: resolve(e.DOCS_DIR),
			suggestPerMinute: e.DOCS_SUGGEST_PER_MINUTE,
			deflectPerHour: e.DOCS_DEFLECT_PER_HOUR
		},
		staff: {
			loginPerEmail: e.LOGIN_LIMIT_PER_EMAIL,
			loginPerClient: e.LOGIN_LIMIT_PER_CLIENT,
			loginWindowSec: 900
		},
		portal: {
			signInPerEmail: e.PORTAL_SIGNIN_LIMIT_PER_EMAIL,
			signInPerClient: e.PORTAL_SIGNIN_LIMIT_PER_CLIENT,
			signInWindowSec: e.PORTAL_SIGNIN_LIMIT_WINDOW_SEC
		},
		pow: {
			after: e.SPAM_POW_AFTER,
			minNumber: Math.min(e.SPAM_POW_MIN_NUMBER, e.SPAM_POW_MAX_NUMBER),
			maxNumber: e.SPAM_POW_MAX_NUMBER,
			expireSec: e.SPAM_POW_EXPIRE_SEC
		},
		privacy: {
			export: { points: e.DATA_EXPORT_LIMIT_PER_HOUR, durationSec: 3600 },
			erase: { points: e.DATA_ERASE_LIMIT_PER_HOUR, durationSec: 3600 }
		},
		discord: {
			enabled: Boolean(e.DISCORD_PUBLIC_KEY),
			applicationId: e.DISCORD_APPLICATION_ID || null,
			publicKey: e.DISCORD_PUBLIC_KEY?.toLowerCase() || null,
			botToken: e.DISCORD_BOT_TOKEN || null,
			/** "Sign in with Discord" needs the application id and this secret. */
			clientSecret: e.DISCORD_CLIENT_SECRET || null,
			apiBase: (e.DISCORD_API_BASE || 'https://discord.com/api/v10').replace(/\/+$/, ''),
			createLimit: {
				points: e.DISCORD_CREATE_LIMIT_PER_USER,
				durationSec: e.DISCORD_CREATE_LIMIT_WINDOW_SEC
			},
			formTtlSec: e.DISCORD_FORM_TTL_SEC
		},
		inbound: parseInbound(e)
	};
}

/** Reply by email: addresses, the SMTP/LMTP listener, the IMAP mailbox and the limits. */
function parseInbound(e: z.infer<typeof env>) {
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
	const maxBytes =
		e.INBOUND_MAX_MESSAGE_BYTES || Math.ceil((e.PUBLIC_UPLOAD_MAX_BYTES * 4) / 3) + 1024 * 1024;
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

function parseOrigin(value: string): string {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new ConfigError(
			`Invalid configuration: ORIGIN must be a URL like https://help.example.com (got "${value}")`
		);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new ConfigError('Invalid configuration: ORIGIN must start with http:// or https://');
	}
	return url.origin;
}

export type StorageConfig =
	| { kind: 'local'; dir: string }
	| {
			kind: 's3';
			bucket: string;
			/** '' or a key prefix ending in '/'. */
			prefix: string;
			endpoint: string | null;
			region: string;
			forcePathStyle: boolean;
			/** Local folder for temporary copies (uploads in flight, sharp input). */
			tmpDir: string;
	  };

/** `STORAGE_URL`: unset → `DATA_DIR/attachments`; `s3://bucket/prefix?endpoint=…&region=…&forcePathStyle=true`. */
export function parseStorageUrl(value: string | undefined, dataDir: string): StorageConfig {
	if (!value?.trim()) return { kind: 'local', dir: resolve(dataDir, 'attachments') };
	const bad = (why: string) =>
		new ConfigError(
			`Invalid configuration: STORAGE_URL ${why} (expected s3://bucket/prefix?endpoint=https://…&region=…)`
		);
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		throw bad('is not a URL');
	}
	if (url.protocol !== 's3:') throw bad(`must start with s3:// (got ${url.protocol}//)`);
	const bucket = url.hostname;
	if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw bad('needs a valid bucket name');
	if (url.username || url.password)
		throw bad('must not hold credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
	const endpoint = url.searchParams.get('endpoint');
	if (endpoint !== null && !/^https?:\/\/[^/]+/.test(endpoint))
		throw bad('endpoint must start with http:// or https://');
	const path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
	const style = url.searchParams.get('forcePathStyle');
	if (style !== null && style !== 'true' && style !== 'false')
		throw bad('forcePathStyle must be true or false');
	return {
		kind: 's3',
		bucket,
		prefix: path ? `${path}/` : '',
		endpoint: endpoint || null,
		region: url.searchParams.get('region') || process.env.AWS_REGION || 'us-east-1',
		forcePathStyle: style === 'true',
		tmpDir: resolve(dataDir, 'tmp')
	};
}
