import { ImapFlow } from 'imapflow';
import type { ConnectionOptions } from 'node:tls';
import type { InboundPipeline } from './contract';
import { envelopeOf, parseImapUrl } from './imap-envelope';
import { Flag } from './imap-flag';

export { envelopeOf, parseImapUrl, type ImapTarget } from './imap-envelope';

/** The part of a pino logger the poller writes to (object first, then the message). */
export type ImapLog = Record<
	'debug' | 'info' | 'warn' | 'error',
	(obj: object, msg: string) => void
>;

export interface ImapPollerOptions {
	/** `imaps://user:pass@host:993/INBOX` (TLS) or `imap://…:143/…` (STARTTLS when offered). */
	url: string;
	/** Where handled messages go (stored, duplicate, dropped). Default `Processed`. */
	doneFolder?: string;
	/** Where refused messages go. Default `Failed`. */
	failedFolder?: string;
	pipeline: InboundPipeline;
	log: ImapLog;
	/** Delays between reconnects and between retries of a failed `receive` (default 1 s … 5 min). */
	backoff?: { minMs: number; maxMs: number };
	/** Re-scan (and, without IDLE, NOOP poll) interval in ms; IDLE is restarted as often. Default 60 s. */
	pollMs?: number;
	/** Messages larger than this are moved to Failed unread (default 64 MiB). */
	maxBytes?: number;
	/** Extra TLS options (e.g. a private CA). */
	tls?: ConnectionOptions;
}

const describe = (err: unknown) => {
	const e = err as { message?: string; responseText?: string; code?: string };
	return [e?.message ?? String(err), e?.responseText, e?.code].filter(Boolean).join(' · ');
};

const STOPPED = Symbol('stopped');

/**
 * Feeds the messages of one IMAP mailbox to the inbound pipeline, one at a time under the
 * mailbox lock, oldest first, then waits for more with IDLE (or polls). A message leaves the
 * mailbox only after `receive` resolved: moved to the done folder, or to Failed when refused. A
 * thrown `receive` (transient) leaves it in place for a retry with backoff, and so does a crash
 * at any point; the pipeline's Message-ID check makes the second pass a `duplicate`.
 */
export function startImapPoller(o: ImapPollerOptions): { stop(): Promise<void> } {
	const target = parseImapUrl(o.url);
	const doneFolder = o.doneFolder || 'Processed';
	const failedFolder = o.failedFolder || 'Failed';
	const { minMs, maxMs } = o.backoff ?? { minMs: 1000, maxMs: 300_000 };
	const pollMs = o.pollMs ?? 60_000;
	const maxBytes = o.maxBytes ?? 64 * 1024 * 1024;
	const delay = (n: number) => Math.min(maxMs, minMs * 2 ** Math.max(0, n - 1));
	// Never the user or the password: the address of the mailbox is enough to find it.
	const where = { host: target.host, port: target.port, mailbox: target.mailbox };
	const stopping = new Flag();
	let client: ImapFlow | null = null;

	// A receive still running at stop is abandoned (its message stays in the mailbox).
	const untilStopped = <T>(p: Promise<T>) =>
		new Promise<T | typeof STOPPED>((resolve, reject) => {
			const off = stopping.listen(() => resolve(STOPPED));
			p.then(
				(value) => (off(), resolve(value)),
				(err) => (off(), reject(err))
			);
		});

	async function ensureFolders(c: ImapFlow) {
		for (const folder of [doneFolder, failedFolder]) {
			const { created } = await c.mailboxCreate(folder);
			if (created) o.log.info({ ...where, folder }, 'IMAP folder created');
		}
	}

	async function move(c: ImapFlow, uid: number, folder: string) {
		if (!(await c.messageMove(String(uid), folder, { uid: true }))) {
			// Left in the mailbox: the next pass offers it again and the pipeline calls it a duplicate.
			throw new Error(`could not move message ${uid} to ${folder}`);
		}
	}

	/** One message; `'retry'` when the pipeline failed transiently. */
	async function handle(c: ImapFlow, uid: number, size: number) {
		if (size > maxBytes) {
			await move(c, uid, failedFolder);
			o.log.warn({ ...where, uid, size, folder: failedFolder }, 'IMAP message refused: too large');
			return 'next';
		}
		const message = await c.fetchOne(String(uid), { source: true }, { uid: true });
		if (!message || !message.source) return 'next'; // expunged meanwhile by someone else
		const envelope = envelopeOf(message.source, target.host);
		let outcome;
		try {
			outcome = await untilStopped(o.pipeline.receive(message.source, envelope));
		} catch (err) {
			o.log.warn({ ...where, uid, err: describe(err) }, 'IMAP message not processed; will retry');
			return 'retry';
		}
		if (outcome === STOPPED) return 'stopped';
		const refused = outcome.kind === 'refused';
		const folder = refused ? failedFolder : doneFolder;
		await move(c, uid, folder);
		const entry = { ...where, uid, outcome: outcome.kind, detail: outcome.detail, folder };
		if (refused) o.log.warn(entry, 'IMAP message refused');
		else o.log.info(entry, 'IMAP message processed');
		return 'next';
	}

	/** Every message now in the mailbox, under the lock; `'retry'` after a transient failure. */
	async function drain(c: ImapFlow, newMail: Flag, healthy: () => void) {
		const lock = await c.getMailboxLock(target.mailbox);
		try {
			newMail.up = false; // mail arriving from here on raises it again: nothing is missed
			const messages = await c.fetchAll('1:*', { uid: true, size: true });
			healthy();
			for (const m of messages.sort((a, b) => a.uid - b.uid)) {
				if (stopping.up || !c.usable) return 'stopped';
				const result = await handle(c, m.uid, m.size ?? 0);
				if (result !== 'next') return result;
			}
			return 'done';
		} finally {
			lock.release();
		}
	}

	/** Serves one connected session until it closes or the poller stops. */
	async function serve(c: ImapFlow, newMail: Flag, closed: Flag, healthy: () => void) {
		await ensureFolders(c);
		let failures = 0;
		while (!stopping.up && c.usable) {
			const result = await drain(c, newMail, healthy);
			if (result === 'stopped') return;
			if (result === 'retry') {
				failures++;
				// New mail does not cut a backoff short: the pipeline is what failed.
				await Flag.any([stopping, closed], delay(failures));
			} else {
				failures = 0;
				o.log.debug(where, 'IMAP waiting for new mail');
				await Flag.any([stopping, closed, newMail], pollMs);
			}
		}
	}

	async function run() {
		let failures = 0;
		while (!stopping.up) {
			const c = new ImapFlow({
				host: target.host,
				port: target.port,
				secure: target.secure,
				auth: { user: target.user, pass: target.pass },
				tls: o.tls,
				logger: false,
				maxIdleTime: pollMs,
				missingIdleCommand: 'NOOP',
				autoIdleDelay: 200,
				maxLockHoldTime: false,
				// A connection that went silent (a peer gone without a FIN) is noticed within minutes.
				socketTimeout: 2 * pollMs + 30_000
			});
			client = c;
			const newMail = new Flag();
			const closed = new Flag();
			let lastError = '';
			c.on('exists', newMail.raise);
			c.on('close', closed.raise);
			// Without a listener an 'error' event would crash the process; it ends the session anyway.
			c.on('error', (err: Error) => (lastError = describe(err)));
			try {
				await c.connect();
				o.log.info(
					{ ...where, tls: c.secureConnection, reconnect: failures > 0 },
					'IMAP connected'
				);
				// The backoff restarts only once the mailbox could be read: a server that accepts the
				// login and then fails every session is not hammered.
				await serve(c, newMail, closed, () => (failures = 0));
				if (stopping.up) return;
				failures++;
				const reason = c.byeReason || lastError || 'connection closed';
				o.log.warn(
					{ ...where, attempt: failures, retryInMs: delay(failures), reason },
					'IMAP connection lost; reconnecting'
				);
			} catch (err) {
				if (stopping.up) return;
				failures++;
				const entry = {
					...where,
					attempt: failures,
					retryInMs: delay(failures),
					reason: describe(err)
				};
				if ((err as { authenticationFailed?: boolean }).authenticationFailed) {
					o.log.error(entry, 'IMAP login refused; retrying');
				} else {
					o.log.warn(entry, 'IMAP connection failed; reconnecting');
				}
			} finally {
				if (!stopping.up) c.close();
			}
			await Flag.any([stopping], delay(failures));
		}
	}

	const loop = run();
	return {
		async stop() {
			stopping.raise();
			const c = client;
			if (c && !c.isClosed) {
				// A server that is gone never answers LOGOUT: give it a moment, then drop the socket.
				const timer = new Promise((resolve) => setTimeout(resolve, 2000).unref());
				await Promise.race([c.logout().catch(() => {}), timer]);
				c.close();
			}
			// Every wait of the loop ends on `stopping` or on the closed socket; bounded all the same.
			const settled = await Promise.race([
				loop.then(() => true),
				new Promise<false>((resolve) => setTimeout(resolve, 5000, false).unref())
			]);
			if (!settled) o.log.warn(where, 'IMAP poller did not wind down in time');
			o.log.info(where, 'IMAP poller stopped');
		}
	};
}
