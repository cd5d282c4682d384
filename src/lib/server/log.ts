import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON-lines logger. Never log a raw URL that may hold a token: log route ids instead. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
	return pino(
		{
			level,
			base: undefined,
			timestamp: pino.stdTimeFunctions.isoTime,
			redact: { paths: ['token', '*.token', 'password', '*.password'], censor: '[redacted]' }
		},
		destination
	);
}

const access = new WeakMap<Logger, Logger>();

/**
 * The logger of the one line per request (method, route id, status, ms: nothing to redact), made
 * once per logger. Redaction walks every logged object for its paths and doubled the line's cost.
 */
export function accessLog(log: Logger): Logger {
	let child = access.get(log);
	if (!child) access.set(log, (child = log.child({}, { redact: [] })));
	return child;
}
