import type { Conn, Db } from '$lib/server/db';
import { afterCommit, transaction } from '$lib/server/db/transaction';
import type { OutboundEmail } from '$lib/server/db/schema';
import type { Logger } from '$lib/server/log';
import { PermanentMailError } from './address';
import { claimDue, releaseAfterCrash, released, renewLease, workerId } from './claim';
import type { MailMessage, MailTransport, SendResult } from './transport';

export interface Enqueue {
	kind: string;
	ticketId: number;
	recipientId?: number | null;
	staffUserId?: number | null;
	messageId?: number | null;
	payload?: Record<string, unknown>;
}

/** The running mail worker of each database, woken when a write queues mail. */
const workers = new WeakMap<Db, () => void>();

/**
 * Asks the mail worker of `db` for a delivery pass soon; nothing when no worker runs on it
 * (tests, the CLI). Writes that queue mail call it after their commit, so callers never do.
 */
export function wake(db: Db): void {
	workers.get(db)?.();
}

/**
 * Queues a notification. Call inside the transaction of the event it announces (opened with
 * `transaction()` from db/transaction): the mail worker is woken once it commits.
 */
export async function enqueue(db: Conn, e: Enqueue, now = Date.now()): Promise<void> {
	await db
		.insertInto('outbound_emails')
		.values({
			kind: e.kind,
			ticket_id: e.ticketId,
			recipient_id: e.recipientId ?? null,
			staff_user_id: e.staffUserId ?? null,
			message_id: e.messageId ?? null,
			payload: JSON.stringify(e.payload ?? {}),
			next_attempt_at: now,
			created_at: now
		})
		.execute();
	afterCommit(db, wake);
}

/**
 * Turns a queued row into a message, or null when it should not be sent any more
 * (recipient unsubscribed or revoked, ticket gone).
 */
export type Composer = (db: Db, row: OutboundEmail) => Promise<MailMessage | DirectDelivery | null>;

/** A notification another channel delivers itself (e.g. a Discord DM); throws to be retried. */
export interface DirectDelivery {
	deliver(): Promise<SendResult>;
	messageId?: never;
}

export interface OutboxOptions {
	db: Db;
	transport: MailTransport;
	compose: Composer;
	log: Logger;
	pollMs: number;
	maxAttempts?: number;
	/** Delay before attempt n+1 (ms). */
	backoff?: (attempts: number) => number;
	/**
	 * How long a claimed batch stays this worker's (ms, default 10 min): another instance retries
	 * the rows of a worker that died only after it ran out, so it must outlast a slow batch.
	 */
	leaseMs?: number;
	/** Name stored in claimed_by (default host:pid:random). */
	worker?: string;
}

/** Exponential backoff: base, 2×base, 4×base … capped at 6 h. */
export const retryBackoff = (baseMs: number) => (n: number) =>
	Math.min(baseMs * 2 ** (n - 1), 6 * 3600_000);

/** 30 s, 1 min, 2 min …; ten attempts span about four hours. */
const defaultBackoff = retryBackoff(30_000);

const BATCH = 20;
const NOTHING_TO_SEND =
	'nothing to send: the recipient unsubscribed, was removed or is not reached by email';

/**
 * Whether retrying cannot help: our own refusal (e.g. an invalid address) or the SMTP server's
 * 5xx answer to this message's recipient or content. Connection, auth and 4xx errors are retried.
 */
export function isPermanent(err: unknown): boolean {
	if (err instanceof PermanentMailError) return true;
	const e = err as {
		permanent?: boolean;
		responseCode?: number;
		command?: string;
		code?: string;
	} | null;
	if (!e || typeof e !== 'object') return false;
	if (e.code === 'EENVELOPE' && e.command === 'API') return true;
	const code = e.responseCode ?? 0;
	return code >= 500 && code < 600 && (e.command === 'RCPT TO' || e.command === 'DATA');
}

/**
 * Delivers due mail, at least once: a row is marked sent only after the transport accepted it
 * (SMTP 250 or the .eml file is on disk); a crash in between may resend it once on restart.
 */
export function createOutbox(o: OutboxOptions) {
	const maxAttempts = o.maxAttempts ?? 10;
	const backoff = o.backoff ?? defaultBackoff;
	let running: Promise<number> | null = null;
	let again = false;
	let timer: NodeJS.Timeout | null = null;
	let stopped = false;
	const worker = o.worker ?? workerId();
	let ready: Promise<void> | null = null;
	const leaseMs = o.leaseMs ?? 10 * 60_000;

	async function deliverDue(now = Date.now()): Promise<number> {
		let sent = 0;
		for (;;) {
			// Each batch's lease starts when it is claimed, not when the pass began.
			const at = Math.max(now, Date.now());
			const rows = await claimDue(o.db, worker, { now: at, leaseMs, limit: BATCH });
			const claimedAt = Date.now();
			for (const [i, row] of rows.entries()) {
				if (stopped) {
					// Hand the rest back now rather than after the lease runs out.
					const rest = rows.slice(i).map((r) => r.id);
					await o.db
						.updateTable('outbound_emails')
						.set(released)
						.where('id', 'in', rest)
						.where('claimed_by', '=', worker)
						.execute();
					return sent;
				}
				// Ours until the lease runs out: renew (one more durable write) only past its half.
				const fresh = Date.now() - claimedAt < leaseMs / 2;
				if (!fresh && !(await renewLease(o.db, worker, row.id, leaseMs))) continue;
				sent += (await deliverOne(row)) ? 1 : 0;
			}
			if (rows.length < BATCH) return sent;
		}
	}

	async function deliverOne(row: OutboundEmail): Promise<boolean> {
		const attempts = row.attempts + 1;
		let message: MailMessage | DirectDelivery | null;
		let info: string;
		try {
			message = await o.compose(o.db, row);
			if (message)
				info = ('deliver' in message ? await message.deliver() : await o.transport.send(message))
					.info;
		} catch (err) {
			await failed(row, attempts, err);
			return false;
		}
		if (!message) {
			await o.db
				.updateTable('outbound_emails')
				.set({ status: 'cancelled', attempts, last_error: NOTHING_TO_SEND, ...released })
				.where('id', '=', row.id)
				.execute();
			return false;
		}
		// Handed off (SMTP 250 / file on disk): record it before anything else can go wrong. If
		// this update fails the pass stops and the row may be sent once more (at-least-once).
		// Through `transaction()`: under load it shares the commit of the requests writing then.
		await transaction(o.db, (tx) =>
			tx
				.updateTable('outbound_emails')
				.set({
					status: 'sent',
					attempts,
					sent_at: Date.now(),
					last_error: null,
					message_id_header: typeof message.messageId === 'string' ? message.messageId : null,
					...released
				})
				.where('id', '=', row.id)
				.execute()
		);
		o.log.info(
			{ outbox: row.id, kind: row.kind, transport: o.transport.kind, delivered: info! },
			'mail sent'
		);
		return true;
	}

	async function failed(row: OutboundEmail, attempts: number, err: unknown) {
		const permanent = isPermanent(err);
		const giveUp = permanent || attempts >= maxAttempts;
		const reason = (err instanceof Error ? err.message : String(err))
			.replace(/\s+/g, ' ')
			.slice(0, 500);
		await o.db
			.updateTable('outbound_emails')
			.set({
				attempts,
				last_error: reason,
				status: giveUp ? 'failed' : 'pending',
				next_attempt_at: Date.now() + (giveUp ? 0 : backoff(attempts)),
				...released
			})
			.where('id', '=', row.id)
			.execute();
		o.log.warn(
			{ outbox: row.id, kind: row.kind, attempts, err: reason },
			giveUp ? 'mail failed for good' : 'mail will be retried'
		);
	}

	/** Runs one delivery pass now, or once more after the current one. */
	function run(): Promise<number> {
		if (stopped) return Promise.resolve(0);
		if (running) {
			again = true;
			return running;
		}
		running = (ready ?? Promise.resolve())
			.then(() => deliverDue())
			.catch((err) => {
				o.log.error({ err }, 'outbox pass failed');
				return 0;
			})
			.finally(() => {
				running = null;
				if (again && !stopped) {
					again = false;
					void run();
				}
			});
		return running;
	}

	/** Asks for a delivery pass soon (after a commit that queued mail). */
	function kick(): void {
		if (!stopped) setImmediate(() => void run());
	}

	return {
		deliverDue,
		kick,
		run,
		start(): void {
			stopped = false;
			workers.set(o.db, kick);
			// On SQLite only this process owns the database: claims left by a crashed run are void
			// now, not after their lease. (On PostgreSQL other instances may still be sending.)
			ready ??= releaseAfterCrash(o.db);
			const tick = () => {
				timer = setTimeout(async () => {
					await run();
					if (!stopped) tick();
				}, o.pollMs);
				timer.unref();
			};
			void run();
			tick();
		},
		/** Stops polling and waits for the pass in progress (it ends after the mail in hand). */
		async stop(): Promise<void> {
			stopped = true;
			if (workers.get(o.db) === kick) workers.delete(o.db);
			if (timer) clearTimeout(timer);
			await running;
		}
	};
}

export type Outbox = ReturnType<typeof createOutbox>;
