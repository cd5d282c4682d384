import type { Conn, Db } from '$lib/server/db';
import type { OutboundEmail } from '$lib/server/db/schema';
import type { Logger } from '$lib/server/log';
import type { MailMessage, MailTransport, SendResult } from './transport';

export interface Enqueue {
	kind: string;
	ticketId: number;
	recipientId?: number | null;
	staffUserId?: number | null;
	messageId?: number | null;
	payload?: Record<string, unknown>;
}

/** Queues a notification. Call inside the transaction of the event it announces. */
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
}

const defaultBackoff = (n: number) => Math.min(30_000 * 2 ** (n - 1), 6 * 3600_000);

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

	async function deliverDue(now = Date.now()): Promise<number> {
		const rows = await o.db
			.selectFrom('outbound_emails')
			.selectAll()
			.where('status', '=', 'pending')
			.where('next_attempt_at', '<=', now)
			.orderBy('id')
			.limit(50)
			.execute();
		let sent = 0;
		for (const row of rows) {
			if (stopped) break;
			sent += (await deliverOne(row)) ? 1 : 0;
		}
		return sent;
	}

	async function deliverOne(row: OutboundEmail): Promise<boolean> {
		const attempts = row.attempts + 1;
		try {
			const message = await o.compose(o.db, row);
			if (!message) {
				await o.db
					.updateTable('outbound_emails')
					.set({ status: 'cancelled', attempts })
					.where('id', '=', row.id)
					.execute();
				return false;
			}
			const result = 'deliver' in message ? await message.deliver() : await o.transport.send(message);
			await o.db
				.updateTable('outbound_emails')
				.set({
					status: 'sent',
					attempts,
					sent_at: Date.now(),
					last_error: null,
					message_id_header: typeof message.messageId === 'string' ? message.messageId : null
				})
				.where('id', '=', row.id)
				.execute();
			o.log.info({ outbox: row.id, kind: row.kind, transport: o.transport.kind, delivered: result.info }, 'mail sent');
			return true;
		} catch (err) {
			const failed = attempts >= maxAttempts;
			const reason = err instanceof Error ? err.message : String(err);
			await o.db
				.updateTable('outbound_emails')
				.set({
					attempts,
					last_error: reason.slice(0, 500),
					status: failed ? 'failed' : 'pending',
					next_attempt_at: Date.now() + backoff(attempts)
				})
				.where('id', '=', row.id)
				.execute();
			o.log.warn({ outbox: row.id, kind: row.kind, attempts, err: reason }, failed ? 'mail failed for good' : 'mail will be retried');
			return false;
		}
	}

	/** Runs one delivery pass now, or once more after the current one. */
	function run(): Promise<number> {
		if (running) {
			again = true;
			return running;
		}
		running = deliverDue()
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

	return {
		deliverDue,
		/** Asks for a delivery pass soon (after a commit that queued mail). */
		kick(): void {
			if (!stopped) setImmediate(() => void run());
		},
		run,
		start(): void {
			stopped = false;
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
		async stop(): Promise<void> {
			stopped = true;
			if (timer) clearTimeout(timer);
			await running;
		}
	};
}

export type Outbox = ReturnType<typeof createOutbox>;
