// The app container's service builders (app.ts wires them together, starts and stops them).
import { loginLimiters } from './auth/login';
import type { Config } from './config';
import type { Db } from './db';
import { discordChannels } from './discord/dm';
import { createDiscordLimits } from './discord/limits';
import * as docs from './docs';
import { createListener, type InboundPipeline, type Listener } from './inbound';
import type { Logger } from './log';
import {
	createComposer,
	createOutbox,
	emlTransport,
	retryBackoff,
	smtpTransport
} from './notifications';
import { signInLimiters } from './portal/sign-in';
import { createPrivacyLimits } from './privacy';
import { seedDemo } from './projects/seed';
import { createLimiters, isShared, type LimitStore } from './rate-limit';
import { createThreadLimits } from './threads/limits';
import { createTicketLimits } from './tickets/limits';

/** Every rate limiter of the portal, built once from the configuration. */
export function buildLimits(config: Config, store: LimitStore) {
	const c = config.createLimits;
	return {
		create: createTicketLimits(c, store),
		thread: createThreadLimits(config.threads, store),
		discord: createDiscordLimits(
			{
				perUser: config.discord.createLimit,
				// Same rule name and key as the create page's global cap: one shared counter.
				global: { points: c.global, durationSec: c.windowSec }
			},
			store
		),
		// Staff sign-in; wrong current passwords on the account page count here too.
		login: loginLimiters(config.staff, store),
		// My tickets: mailed sign-ins per address and per client.
		portalSignIn: signInLimiters(config.portal, store),
		docs: {
			// Suggestions fire while typing: in memory on one instance (a lost counter is harmless, a
			// SQLite write per keystroke is not); in the shared store when several instances run.
			suggest: createLimiters(
				{ suggest: { points: config.docs.suggestPerMinute, durationSec: 60 } },
				isShared(store) ? store : undefined
			),
			deflect: createLimiters(
				{ deflect: { points: config.docs.deflectPerHour, durationSec: 3600 } },
				store
			)
		},
		privacy: createPrivacyLimits(config.privacy, store),
		replyUploads: createLimiters(
			{ replyUploads: { points: config.uploads.tokenPerHour, durationSec: 3600 } },
			store
		),
		// Reply by email: mails to project addresses per sender, intake-only notices per sender.
		inbound: createLimiters(
			{ inboundSender: config.inbound.senderLimit, inboundNotice: config.inbound.noticeLimit },
			store
		)
	};
}

export type Limits = ReturnType<typeof buildLimits>;

/** Seeds the demo project on an empty database (unless `seed` is false) and indexes the docs. */
export async function prepareContent(db: Db, config: Config, log: Logger, seed: boolean) {
	if (seed && (await seedDemo(db))) {
		log.info({ project: 'demo' }, 'seeded the demo project');
	}
	const indexed = await docs.reindex(db, config.docs.dir);
	log.info(
		{ docs: indexed.docs, projects: indexed.projects, dir: config.docs.dir },
		'indexed public docs'
	);
	for (const problem of indexed.problems) log.warn({ problem }, 'skipped a doc');
}

/** The mail worker: SMTP when SMTP_URL is set, else .eml files in the mail folder. */
export function buildOutbox(config: Config, db: Db, secret: Uint8Array, log: Logger) {
	return createOutbox({
		db,
		transport: config.smtpUrl ? smtpTransport(config.smtpUrl) : emlTransport(config.mailDir),
		compose: createComposer({
			origin: config.origin,
			mailFrom: config.mailFrom,
			secret,
			inboundDomain: config.inbound.domain,
			channels: discordChannels(config.discord)
		}),
		log,
		pollMs: config.outboxPollMs,
		backoff: retryBackoff(config.mail.retryBaseMs),
		maxAttempts: config.mail.maxAttempts,
		leaseMs: config.mail.leaseMs
	});
}

type Inbound = Config['inbound'];

/**
 * Starts the inbound SMTP/LMTP listener (`name`: the inbound domain); `listening` resolves to its
 * port, or to null when it could not start (the portal still serves the web; mail waits at the
 * sending server meanwhile).
 */
export function listenForMail(
	pipeline: InboundPipeline,
	smtp: NonNullable<Inbound['smtp']>,
	o: { name: string; maxBytes: number },
	log: Logger
): { listener: Listener; listening: Promise<number | null> } {
	const listener = createListener(pipeline, { ...smtp, maxBytes: o.maxBytes, name: o.name }, log);
	const listening = listener.listen().then(
		(port) => {
			log.info({ port, host: smtp.host, lmtp: smtp.lmtp }, 'inbound mail listener started');
			return port;
		},
		(err) => {
			log.error({ err, port: smtp.port }, 'inbound mail listener could not start');
			return null;
		}
	);
	return { listener, listening };
}

/**
 * Starts the IMAP poller, loading imapflow only now (only when a mailbox is configured); null
 * when the app was stopped while it loaded.
 */
export async function pollMailbox(
	pipeline: InboundPipeline,
	imap: NonNullable<Inbound['imap']>,
	maxBytes: number,
	log: Logger,
	stopped: () => boolean
): Promise<{ stop(): Promise<void> } | null> {
	const { startImapPoller } = await import('./inbound/imap');
	if (stopped()) return null;
	return startImapPoller({
		url: imap.url,
		doneFolder: imap.done,
		failedFolder: imap.failed,
		pipeline,
		log: log.child({ module: 'imap' }),
		maxBytes
	});
}
