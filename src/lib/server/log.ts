import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON-lines logger. Never log a raw URL that may hold a token: log route ids instead. */
export function createLogger(level: string): Logger {
	return pino({
		level,
		base: undefined,
		timestamp: pino.stdTimeFunctions.isoTime,
		redact: { paths: ['token', '*.token', 'password', '*.password'], censor: '[redacted]' }
	});
}
