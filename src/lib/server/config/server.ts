import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, int } from './env';
import { parseStorageUrl } from './storage';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Server and data (ADDRESS_HEADER and XFF_DEPTH are read by adapter-node itself), then what
 * several instances share: the database, attachment storage and rate-limit counters. */
export const serverEnv = z.object({
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
	REDIS_PREFIX: z.string().default('portal:rl:')
});

/** Address, folders, database, storage, Redis, secret and log level. */
export function serverConfig(e: z.infer<typeof serverEnv>) {
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
		logLevel: e.LOG_LEVEL
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
