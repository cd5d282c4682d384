import { afterAll, afterEach, beforeAll } from 'vitest';
import { startImapPoller, type ImapPollerOptions } from '../inbound/imap';
import type { InboundEnvelope, InboundOutcome, InboundPipeline } from '../inbound/contract';
import { startDovecot, type TestDovecot } from './dovecot';

// What the IMAP poller specs share: a logger whose entries can be awaited, a recording pipeline
// that keeps the contract (Message-ID dedup included; the real one has its own spec) and mail.

export interface Entry {
	level: string;
	msg: string;
	[key: string]: unknown;
}

/** A pino-like logger whose entries a test can await. */
export function recordingLog() {
	const entries: Entry[] = [];
	const waiters = new Set<() => void>();
	const write = (level: string) => (obj: object, msg: string) => {
		entries.push({ ...obj, level, msg });
		for (const w of [...waiters]) w();
	};
	return {
		entries,
		debug: write('debug'),
		info: write('info'),
		warn: write('warn'),
		error: write('error'),
		/** The `count`-th entry matching, as soon as it is written (bounded wait). */
		next(match: (e: Entry) => boolean, count = 1, timeoutMs = 30_000): Promise<Entry> {
			return new Promise((resolve, reject) => {
				const check = () => {
					const found = entries.filter(match);
					if (found.length < count) return;
					waiters.delete(check);
					clearTimeout(timer);
					resolve(found[count - 1]);
				};
				const timer = setTimeout(() => {
					waiters.delete(check);
					reject(
						new Error(
							`no log entry in ${timeoutMs} ms; got: ${entries.map((e) => e.msg).join(' | ')}`
						)
					);
				}, timeoutMs);
				waiters.add(check);
				check();
			});
		}
	};
}

export type Log = ReturnType<typeof recordingLog>;
export const msg = (text: string) => (e: Entry) => e.msg === text;

const messageIdOf = (raw: Uint8Array) =>
	/^message-id:\s*(\S+)/im.exec(Buffer.from(raw).toString('utf8'))?.[1] ?? '';

export interface Call {
	messageId: string;
	envelope: InboundEnvelope;
}

/**
 * Keeps the contract: a Message-ID seen before is a duplicate. `decide` may throw (transient),
 * hang, or answer refused; its default stores. `store` is the "database": share it between
 * pollers to model a restart.
 */
export function fakePipeline(
	decide: (call: Call, n: number) => Promise<'store' | InboundOutcome> = async () => 'store',
	store = new Set<string>()
) {
	const calls: Call[] = [];
	const outcomes: InboundOutcome[] = [];
	const waiters = new Set<() => void>();
	const pipeline: InboundPipeline = {
		accepts: async () => true,
		async receive(raw, envelope) {
			const call = { messageId: messageIdOf(raw), envelope };
			calls.push(call);
			for (const w of [...waiters]) w();
			const decision = await decide(call, calls.length);
			let outcome: InboundOutcome;
			if (decision !== 'store') outcome = decision;
			else if (store.has(call.messageId)) outcome = { kind: 'duplicate', detail: call.messageId };
			else {
				store.add(call.messageId);
				outcome = { kind: 'stored', detail: call.messageId };
			}
			outcomes.push(outcome);
			return outcome;
		}
	};
	/** Resolves once `receive` was called `n` times. */
	const called = (n: number, timeoutMs = 30_000) =>
		new Promise<Call>((resolve, reject) => {
			const check = () => {
				if (calls.length < n) return;
				waiters.delete(check);
				clearTimeout(timer);
				resolve(calls[n - 1]);
			};
			const timer = setTimeout(() => reject(new Error(`receive not called ${n}×`)), timeoutMs);
			waiters.add(check);
			check();
		});
	return { pipeline, calls, outcomes, store, called };
}

export function deferred<T>() {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((r) => (resolve = r));
	return { promise, resolve };
}

let counter = 0;
export function mail(headers: Record<string, string> = {}) {
	const id = `<imap-spec-${Date.now()}-${++counter}@example.org>`;
	const all = {
		'Return-Path': '<jane@example.org>',
		From: 'Jane <jane@example.org>',
		To: 'reply+abc.def@support.example.test',
		Subject: `Test ${counter}`,
		'Message-ID': id,
		Date: new Date().toUTCString(),
		...headers
	};
	const head = Object.entries(all)
		.map(([k, v]) => `${k}: ${v}`)
		.join('\r\n');
	return { id, raw: `${head}\r\n\r\nThanks, that fixed it.\r\n` };
}

/**
 * One Dovecot for a describe block (started before, removed after) and pollers on it that are
 * stopped, with the mailbox emptied, after each test.
 */
export function useDovecot(options?: Parameters<typeof startDovecot>[0]) {
	let dovecot: TestDovecot | undefined;
	const pollers: { stop(): Promise<void> }[] = [];
	beforeAll(async () => {
		dovecot = await startDovecot(options);
	}, 60_000);
	afterEach(async () => {
		await Promise.all(pollers.splice(0).map((p) => p.stop()));
		await dovecot?.reset();
	}, 30_000);
	afterAll(async () => {
		await dovecot?.close();
	}, 30_000);
	const suite = {
		get dovecot(): TestDovecot {
			if (!dovecot) throw new Error('Dovecot has not started');
			return dovecot;
		},
		/** A poller on the server's INBOX (fast backoff, done folder `Processed`). */
		start(pipeline: InboundPipeline, log: Log, extra: Partial<ImapPollerOptions> = {}) {
			const poller = startImapPoller({
				url: suite.dovecot.url,
				doneFolder: 'Processed',
				pipeline,
				log,
				backoff: { minMs: 100, maxMs: 1000 },
				...extra
			});
			pollers.push(poller);
			return poller;
		},
		/** The ids of the messages in a folder, oldest first. */
		ids: async (folder: string) => (await suite.dovecot.list(folder)).map((m) => m.messageId)
	};
	return suite;
}
