import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
	buildLimits,
	buildOutbox,
	listenForMail,
	pollMailbox,
	prepareContent,
	type Limits
} from './app-services';
import { createImageQueue } from './attachments/images';
import { createUploads, sweepOrphans, type Uploads } from './attachments/service';
import { createStorage } from './attachments/create-storage';
import type { Config } from './config';
import { lockDataDir } from './data-lock';
import { connectDatabase, type Db, type OpenDb } from './db';
import { createPipeline, type InboundPipeline, type Listener } from './inbound';
import { createLive, type Live } from './live';
import { createAutoClose } from './tickets/auto-close';
import { createLogger, type Logger } from './log';
import type { Outbox } from './notifications';
import { endSessionsOnErasure } from './portal/session';
import { createPrivacy, type Privacy } from './privacy';
import { createPow, type Pow } from './pow';
import { createLimitStore } from './rate-limit';
import { loadSecret } from './tokens';

export type { Limits };

/** Everything a request needs that lives as long as the process. */
export interface App {
	config: Config;
	db: Db;
	database: OpenDb;
	secret: Uint8Array;
	log: Logger;
	outbox: Outbox;
	limits: Limits;
	uploads: Uploads;
	/** Turns inbound mail into replies and tickets; the SMTP listener and IMAP poller feed it. */
	inbound: InboundPipeline;
	/** A person's data: export and erasure (`privacy/`). */
	privacy: Privacy;
	/** Live dashboard events (SSE), typing presence; LISTEN/NOTIFY on PostgreSQL. */
	live: Live;
	/** Proof-of-work on the create form (`pow/`): who must solve, challenges, spent ones. */
	pow: Pow;
	/**
	 * Starts the background work: the mail worker, the thumbnail worker (images a restart or
	 * another instance's death left waiting), the inbound SMTP/LMTP listener (INBOUND_SMTP_PORT)
	 * and the IMAP poller (INBOUND_IMAP_URL). The server calls it once it listens, so a start
	 * that cannot serve (port taken) sends nothing.
	 */
	serve(): void;
	/** Resolves once the inbound listener listens (with its port), or null when it is off. */
	inboundReady(): Promise<number | null>;
}

export interface StartOptions {
	/** Seed the demo project on an empty database (default true). */
	seed?: boolean;
	/** `false`: `serve()` leaves the mail worker off (tests that inspect the queue). */
	outbox?: boolean;
}

let current: App | undefined;

/**
 * Whether a load balancer should send this instance traffic (`/readyz`): not while it starts
 * (opening and migrating the database) nor once it drains after SIGTERM.
 */
const readiness = { starting: true, draining: false };

export function isReady(): boolean {
	return !readiness.starting && !readiness.draining;
}

/** Stops advertising readiness; requests are still served until the server closes. */
export function markDraining(): void {
	readiness.draining = true;
}

/** The running app. Throws if `start` has not run (e.g. during `vite build`). */
export function app(): App {
	if (!current) throw new Error('The app is not started');
	return current;
}

/**
 * Takes the data folder (only one process may own it), opens and migrates the database, seeds
 * the demo project on an empty one, indexes the docs, sweeps orphan attachment files older than
 * the grace period, and builds every long-lived service. Background work waits for `serve()`.
 */
export async function start(config: Config, options: StartOptions = {}): Promise<App> {
	if (current) return current;
	const log = createLogger(config.logLevel);
	mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
	const lock = lockDataDir(config.dataDir);
	let database: OpenDb | undefined;
	try {
		database = await connectDatabase(config);
		current = await build(config, options, log, database, lock.release);
		readiness.starting = false;
		readiness.draining = false;
		return current;
	} catch (err) {
		await database?.close();
		lock.release();
		throw err;
	}
}

async function build(
	config: Config,
	options: StartOptions,
	log: Logger,
	database: OpenDb,
	unlock: () => void
): Promise<App> {
	const db = database.db;
	const secret = loadSecret(config.secretKey, config.dataDir);
	await prepareContent(db, config, log, options.seed !== false);

	const limitStore = await createLimitStore(config, {
		sqliteFile: database.dialect === 'sqlite' ? join(config.dataDir, 'limits.db') : undefined,
		pool: database.pool,
		redisPrefix: config.redisPrefix
	});
	const limits = buildLimits(config, limitStore.store);
	const storage = await createStorage(config);
	const images = createImageQueue({
		db,
		storage,
		maxPixels: config.uploads.imageMaxPixels,
		leaseMs: config.uploads.thumbnailLeaseMs,
		log
	});
	const uploads = createUploads({ config, db, log, storage, images, limiter: limits.replyUploads });
	await sweepOrphans(uploads, config.uploads.orphanGraceMin * 60_000);

	const outbox = buildOutbox(config, db, secret, log);

	const inbound = createPipeline({ db, secret, config, log, uploads, limits });
	let listener: Listener | null = null;
	let poller: { stop(): Promise<void> } | null = null;
	let pollerReady: Promise<void> = Promise.resolve();
	let listening: Promise<number | null> = Promise.resolve(null);
	const privacy = createPrivacy({
		db,
		storage,
		log,
		limits: limits.privacy,
		endSessions: endSessionsOnErasure
	});

	const live = createLive(database, { url: config.databaseUrl, log });
	const autoClose = createAutoClose({ db, log, intervalMs: config.autoCloseIntervalMs });
	const pow = createPow({ config: config.pow, secret, store: limitStore.store });

	let serving = false;
	let stopped = false;
	stopping = async () => {
		stopped = true;
		await listening.catch(() => null);
		await listener?.close();
		await pollerReady.catch(() => undefined);
		await poller?.stop();
		await autoClose.stop();
		await live.close();
		await outbox.stop();
		await images.stop();
		await limitStore.close();
		await database.close();
		unlock();
	};
	return {
		config,
		db,
		database,
		secret,
		log,
		outbox,
		limits,
		uploads,
		inbound,
		privacy,
		live,
		pow,
		serve() {
			if (serving || stopped) return;
			serving = true;
			if (options.outbox !== false) outbox.start();
			images.start();
			autoClose.start();
			const { smtp, imap, domain, maxMessageBytes: maxBytes } = config.inbound;
			if (smtp && domain) {
				({ listener, listening } = listenForMail(inbound, smtp, { name: domain, maxBytes }, log));
			}
			if (imap && domain) {
				pollerReady = pollMailbox(inbound, imap, maxBytes, log, () => stopped).then((p) => {
					poller = p;
				});
			}
		},
		inboundReady: () => listening
	};
}

let stopping: (() => Promise<void>) | undefined;

/**
 * Stops the mail worker (after the mail in hand) and the thumbnail queue (after the images in
 * hand), closes the database and gives up the data folder. A later `start` builds everything anew.
 */
export async function stop(): Promise<void> {
	const halt = stopping;
	current = undefined;
	readiness.starting = true;
	stopping = undefined;
	await halt?.();
}
