import { mkdirSync } from 'node:fs';
import type { Config } from './config';
import { connectDatabase, type Db, type OpenDb } from './db';
import * as docs from './docs';
import { createLogger, type Logger } from './log';
import { createComposer, createOutbox, emlTransport, retryBackoff, smtpTransport, type Outbox } from './notifications';
import { discordChannels } from './discord/dm';
import { seedDemo } from './projects/seed';
import { loadSecret } from './tokens';

/** Everything a request needs that lives as long as the process. */
export interface App {
	config: Config;
	db: Db;
	database: OpenDb;
	secret: Uint8Array;
	log: Logger;
	outbox: Outbox;
}

let current: App | undefined;

/** The running app. Throws if `start` has not run (e.g. during `vite build`). */
export function app(): App {
	if (!current) throw new Error('The app is not started');
	return current;
}

/**
 * Opens the data folder and database (migrating it), seeds the demo project on an empty
 * database, and starts the mail outbox.
 */
export async function start(config: Config, options: { seed?: boolean; outbox?: boolean } = {}): Promise<App> {
	if (current) return current;
	const log = createLogger(config.logLevel);
	mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
	const database = await connectDatabase(config);
	const secret = loadSecret(config.secretKey, config.dataDir);
	if (options.seed !== false && (await seedDemo(database.db))) {
		log.info({ project: 'demo' }, 'seeded the demo project');
	}
	const indexed = await docs.reindex(database.db, config.docs.dir);
	log.info({ docs: indexed.docs, projects: indexed.projects, dir: config.docs.dir }, 'indexed public docs');
	for (const problem of indexed.problems) log.warn({ problem }, 'skipped a doc');
	const transport = config.smtpUrl ? smtpTransport(config.smtpUrl) : emlTransport(config.mailDir);
	const outbox = createOutbox({
		db: database.db,
		transport,
		compose: createComposer({ origin: config.origin, mailFrom: config.mailFrom, secret, channels: discordChannels(config.discord) }),
		log,
		pollMs: config.outboxPollMs,
		backoff: retryBackoff(config.mail.retryBaseMs),
		maxAttempts: config.mail.maxAttempts
	});
	if (options.outbox !== false) outbox.start();
	current = { config, db: database.db, database, secret, log, outbox };
	return current;
}

/** Stops the outbox and closes the database. */
export async function stop(): Promise<void> {
	if (!current) return;
	const c = current;
	current = undefined;
	await c.outbox.stop();
	await c.database.close();
}
