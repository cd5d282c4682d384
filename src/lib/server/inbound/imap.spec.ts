import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dovecotAvailable, startDovecot, type TestDovecot } from '../test/dovecot';
import type { InboundEnvelope, InboundOutcome, InboundPipeline } from './contract';
import { envelopeOf, parseImapUrl, startImapPoller } from './imap';

// The poller against a real Dovecot started by this file. The pipeline is a recording fake that
// keeps the contract (Message-ID dedup included): the real one is tested by its own spec.

if (!dovecotAvailable)
	console.log(
		'IMAP poller specs skipped: /usr/sbin/dovecot is missing (apt-get install dovecot-imapd)'
	);

interface Entry {
	level: string;
	msg: string;
	[key: string]: unknown;
}

/** A pino-like logger whose entries a test can await. */
function recordingLog() {
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

type Log = ReturnType<typeof recordingLog>;
const msg = (text: string) => (e: Entry) => e.msg === text;

const messageIdOf = (raw: Uint8Array) =>
	/^message-id:\s*(\S+)/im.exec(Buffer.from(raw).toString('utf8'))?.[1] ?? '';

interface Call {
	messageId: string;
	envelope: InboundEnvelope;
}

/**
 * Keeps the contract: a Message-ID seen before is a duplicate. `decide` may throw (transient),
 * hang, or answer refused; its default stores. `store` is the "database": share it between
 * pollers to model a restart.
 */
function fakePipeline(
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

function deferred<T>() {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((r) => (resolve = r));
	return { promise, resolve };
}

let counter = 0;
function mail(headers: Record<string, string> = {}) {
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

describe('parseImapUrl and envelopeOf (no server)', () => {
	it('decodes credentials and mailbox, picks TLS by scheme, and never echoes the URL', () => {
		expect(parseImapUrl('imaps://me%40x.org:p%40ss%2Fw%20d@mail.x.org/Support%20Box')).toEqual({
			secure: true,
			host: 'mail.x.org',
			port: 993,
			user: 'me@x.org',
			pass: 'p@ss/w d',
			mailbox: 'Support Box'
		});
		expect(parseImapUrl('imap://u:p@127.0.0.1:1143')).toMatchObject({
			secure: false,
			port: 1143,
			mailbox: 'INBOX'
		});
		expect(parseImapUrl('imap://u:p@h')).toMatchObject({ port: 143 });
		expect(() => parseImapUrl('https://u:hunter2@h/INBOX')).toThrow(/imaps:\/\//);
		expect(() => parseImapUrl('https://u:hunter2@h/INBOX')).not.toThrow(/hunter2/);
		expect(() => parseImapUrl('not a url hunter2')).not.toThrow(/hunter2/);
		expect(() => parseImapUrl('imaps://u:hunter2%zz@h/INBOX')).toThrow(/malformed/);
	});

	it('rebuilds the envelope from Return-Path and the recipient headers in order', () => {
		const raw = Buffer.from(
			[
				'Return-Path: <Bounce+1@lists.example.org>',
				'Delivered-To: support@example.test',
				'X-Original-To: reply+tok.en@support.example.test',
				'To: "Doe, Jane" <REPLY+tok.en@support.example.test>,',
				'\tother@example.org',
				'Cc: team: a@example.org, b@example.org;',
				'Subject: To: not-a-header@example.org',
				'',
				'To: body@example.org',
				'',
				'Delivered-To: after-a-blank-line@example.org',
				''
			].join('\r\n')
		);
		expect(envelopeOf(raw, 'imap.example.test')).toEqual({
			mailFrom: 'Bounce+1@lists.example.org',
			rcptTo: [
				'support@example.test',
				'reply+tok.en@support.example.test',
				'other@example.org',
				'a@example.org',
				'b@example.org'
			],
			client: 'imap.example.test',
			transport: 'imap'
		});
		expect(
			envelopeOf(Buffer.from('Return-Path: <>\r\nTo: x@y.z\r\n\r\n'), 'h').mailFrom
		).toBeNull();
		// A provider that keeps no Return-Path: the sender, not a null sender (which means bounce).
		expect(envelopeOf(Buffer.from('From: Jo <jo@y.z>\r\nTo: x@y.z\r\n\r\n'), 'h').mailFrom).toBe(
			'jo@y.z'
		);
	});
});

describe('IMAP poller with no server to reach', () => {
	it('logs each failed attempt with a growing delay and stops at once', async () => {
		// A port that was free a moment ago: connections are refused.
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		await new Promise((resolve) => server.close(resolve));
		const log = recordingLog();
		const fake = fakePipeline();
		const poller = startImapPoller({
			url: `imap://u:hunter2@127.0.0.1:${port}/INBOX`,
			pipeline: fake.pipeline,
			log,
			backoff: { minMs: 50, maxMs: 200 }
		});
		await log.next(msg('IMAP connection failed; reconnecting'), 4);
		const stopping = Date.now();
		await poller.stop();
		expect(Date.now() - stopping).toBeLessThan(5_000);
		const failures = log.entries.filter(msg('IMAP connection failed; reconnecting'));
		expect(failures.slice(0, 4).map((e) => e.retryInMs)).toEqual([50, 100, 200, 200]);
		expect(JSON.stringify(log.entries)).not.toContain('hunter2');
		expect(fake.calls).toEqual([]);
	}, 30_000);
});

describe.skipIf(!dovecotAvailable)('IMAP poller against Dovecot', () => {
	let dovecot: TestDovecot;
	const pollers: { stop(): Promise<void> }[] = [];
	const backoff = { minMs: 100, maxMs: 1000 };

	const start = (
		pipeline: InboundPipeline,
		log: Log,
		extra: { pollMs?: number; maxBytes?: number; url?: string } = {}
	) => {
		const poller = startImapPoller({
			url: dovecot.url,
			doneFolder: 'Processed',
			pipeline,
			log,
			backoff,
			...extra
		});
		pollers.push(poller);
		return poller;
	};
	const ids = async (folder: string) => (await dovecot.list(folder)).map((m) => m.messageId);

	beforeAll(async () => {
		dovecot = await startDovecot();
	}, 60_000);
	afterEach(async () => {
		await Promise.all(pollers.splice(0).map((p) => p.stop()));
		await dovecot.reset();
	}, 30_000);
	afterAll(async () => {
		await dovecot?.close();
	}, 30_000);

	it('processes the messages already in INBOX at start, oldest first, and moves them to Processed', async () => {
		const a = mail();
		const b = mail();
		await dovecot.append(a.raw);
		await dovecot.append(b.raw);
		const log = recordingLog();
		const fake = fakePipeline();
		start(fake.pipeline, log);
		await log.next(msg('IMAP message processed'), 2);
		expect(fake.calls.map((c) => c.messageId)).toEqual([a.id, b.id]);
		expect(await ids('INBOX')).toEqual([]);
		expect(await ids('Processed')).toEqual([a.id, b.id]);
		expect(await ids('Failed')).toEqual([]);
	}, 60_000);

	it('picks up a new message within one IDLE cycle, far sooner than the poll interval', async () => {
		const log = recordingLog();
		const fake = fakePipeline();
		start(fake.pipeline, log, { pollMs: 120_000 });
		await log.next(msg('IMAP waiting for new mail'));
		const m = mail();
		const sent = Date.now();
		await dovecot.append(m.raw);
		await log.next(msg('IMAP message processed'), 1, 60_000);
		const elapsed = Date.now() - sent;
		expect(elapsed).toBeLessThan(20_000);
		expect(await ids('Processed')).toEqual([m.id]);
		expect(await ids('INBOX')).toEqual([]);
		// A second one on the same session: the wait resumed after the first.
		const n = mail();
		await dovecot.append(n.raw);
		await log.next(msg('IMAP message processed'), 2, 60_000);
		expect(await ids('Processed')).toEqual([m.id, n.id]);
		expect(fake.calls).toHaveLength(2);
	}, 90_000);

	it('takes mail that arrives while it processes, one message at a time, in order', async () => {
		const first = mail();
		const second = mail();
		const release = deferred<void>();
		let running = 0;
		let most = 0;
		const log = recordingLog();
		const fake = fakePipeline(async (_call, n) => {
			most = Math.max(most, ++running);
			if (n === 1) await release.promise;
			running--;
			return 'store';
		});
		start(fake.pipeline, log, { pollMs: 120_000 });
		await dovecot.append(first.raw);
		await fake.called(1);
		await dovecot.append(second.raw);
		release.resolve();
		await log.next(msg('IMAP message processed'), 2, 60_000);
		expect(fake.calls.map((c) => c.messageId)).toEqual([first.id, second.id]);
		expect(most).toBe(1);
		expect(await ids('Processed')).toEqual([first.id, second.id]);
		expect(await ids('INBOX')).toEqual([]);
	}, 90_000);

	it('carries Return-Path and the recipient headers as the envelope', async () => {
		const m = mail({
			'Return-Path': '<>',
			'Delivered-To': 'support@example.test',
			'X-Original-To': 'reply+abc.def@support.example.test',
			Cc: 'Team <team@example.org>'
		});
		const log = recordingLog();
		const fake = fakePipeline();
		start(fake.pipeline, log);
		await dovecot.append(m.raw);
		await log.next(msg('IMAP message processed'));
		expect(fake.calls[0].envelope).toEqual({
			mailFrom: null,
			rcptTo: ['support@example.test', 'reply+abc.def@support.example.test', 'team@example.org'],
			client: '127.0.0.1',
			transport: 'imap'
		});
	}, 60_000);

	it('moves a refused message to Failed and logs the reason', async () => {
		const m = mail({ To: 'reply+forged@support.example.test' });
		const log = recordingLog();
		const fake = fakePipeline(async () => ({ kind: 'refused', detail: 'no such recipient' }));
		start(fake.pipeline, log);
		await dovecot.append(m.raw);
		const entry = await log.next(msg('IMAP message refused'));
		expect(entry).toMatchObject({ level: 'warn', detail: 'no such recipient', folder: 'Failed' });
		expect(await ids('Failed')).toEqual([m.id]);
		expect(await ids('INBOX')).toEqual([]);
		expect(await ids('Processed')).toEqual([]);
	}, 60_000);

	it('moves a message over the size limit to Failed without reading it', async () => {
		const big = mail({ 'X-Padding': 'x'.repeat(5000) });
		const log = recordingLog();
		const fake = fakePipeline();
		start(fake.pipeline, log, { maxBytes: 4096 });
		await dovecot.append(big.raw);
		expect(await log.next(msg('IMAP message refused: too large'))).toMatchObject({
			folder: 'Failed'
		});
		expect(fake.calls).toEqual([]);
		expect(await ids('Failed')).toEqual([big.id]);
		expect(await ids('INBOX')).toEqual([]);
	}, 60_000);

	it('logs a refused login as an error and retries with growing delays, never logging the secret', async () => {
		const log = recordingLog();
		const fake = fakePipeline();
		const url = dovecot.url.replace(encodeURIComponent(dovecot.password), 'wrong%20secret');
		start(fake.pipeline, log, { url });
		await log.next(msg('IMAP login refused; retrying'), 3);
		const refusals = log.entries.filter(msg('IMAP login refused; retrying'));
		expect(refusals.map((e) => e.level)).toEqual(['error', 'error', 'error']);
		expect(refusals.map((e) => e.retryInMs)).toEqual([100, 200, 400]);
		const written = JSON.stringify(log.entries);
		expect(written).not.toContain('wrong');
		expect(written).not.toContain(dovecot.user);
		expect(fake.calls).toEqual([]);
	}, 60_000);

	it('leaves a message in INBOX when receive throws, and processes it on a later attempt', async () => {
		const m = mail();
		const second = deferred<void>();
		const log = recordingLog();
		const fake = fakePipeline(async (_call, n) => {
			if (n === 1) throw new Error('database unreachable');
			await second.promise;
			return 'store';
		});
		start(fake.pipeline, log);
		await dovecot.append(m.raw);
		await log.next(msg('IMAP message not processed; will retry'));
		// The retry is running (held open here): the message is still in INBOX, nowhere else.
		await fake.called(2);
		expect(await ids('INBOX')).toEqual([m.id]);
		expect(await ids('Processed')).toEqual([]);
		second.resolve();
		await log.next(msg('IMAP message processed'));
		expect(await ids('INBOX')).toEqual([]);
		expect(await ids('Processed')).toEqual([m.id]);
		expect(fake.outcomes.map((o) => o.kind)).toEqual(['stored']);
	}, 60_000);

	it('stopped mid-processing: the message stays in INBOX and the next poller processes it once', async () => {
		const m = mail();
		const database = new Set<string>();
		const log1 = recordingLog();
		const hung = fakePipeline(() => new Promise<never>(() => {}), database);
		const first = start(hung.pipeline, log1);
		await dovecot.append(m.raw);
		await hung.called(1);
		const stopping = Date.now();
		await first.stop();
		expect(Date.now() - stopping).toBeLessThan(10_000);
		expect(await ids('INBOX')).toEqual([m.id]);
		expect(await ids('Processed')).toEqual([]);

		const log2 = recordingLog();
		const fresh = fakePipeline(undefined, database);
		start(fresh.pipeline, log2);
		await log2.next(msg('IMAP message processed'));
		expect(fresh.outcomes.map((o) => o.kind)).toEqual(['stored']);
		expect(await ids('INBOX')).toEqual([]);
		expect(await ids('Processed')).toEqual([m.id]);
	}, 60_000);

	it('a portal process SIGKILLed mid-processing leaves the message in INBOX; the next one processes it once', async () => {
		const m = mail();
		await dovecot.append(m.raw);
		// The poller in a process of its own (through Vite's SSR loader, like `npm run portal`),
		// with a pipeline that says when it got the message and then never answers.
		const script = `
			import { createServer } from 'vite';
			const vite = await createServer({ configFile: false, logLevel: 'error', appType: 'custom',
				server: { middlewareMode: true, hmr: false, ws: false, watch: null },
				optimizeDeps: { noDiscovery: true, include: [] } });
			const { startImapPoller } = await vite.ssrLoadModule('/src/lib/server/inbound/imap.ts');
			const quiet = () => {};
			startImapPoller({ url: process.env.IMAP_URL, log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
				pipeline: { accepts: async () => true,
					receive: () => { process.stdout.write('received\\n'); return new Promise(() => {}); } } });`;
		const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
			cwd: process.cwd(),
			env: { ...process.env, IMAP_URL: dovecot.url },
			stdio: ['ignore', 'pipe', 'inherit']
		});
		try {
			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('the child never received')), 60_000);
				child.stdout!.on('data', (chunk: Buffer) => {
					if (chunk.toString().includes('received')) resolve(void clearTimeout(timer));
				});
				child.once('exit', () => reject(new Error('the child exited')));
			});
		} finally {
			const exited = once(child, 'exit');
			child.kill('SIGKILL');
			await exited;
		}
		expect(await ids('INBOX')).toEqual([m.id]);
		expect(await ids('Processed')).toEqual([]);

		const log = recordingLog();
		const fake = fakePipeline();
		start(fake.pipeline, log);
		await log.next(msg('IMAP message processed'));
		expect(fake.calls.map((c) => c.messageId)).toEqual([m.id]);
		expect(await ids('INBOX')).toEqual([]);
		expect(await ids('Processed')).toEqual([m.id]);
	}, 90_000);

	it('connection killed while receive runs: reconnects, the redelivery is a duplicate, one copy is kept', async () => {
		const m = mail();
		const release = deferred<void>();
		const log = recordingLog();
		const fake = fakePipeline(async (_call, n) => {
			if (n === 1) await release.promise;
			return 'store';
		});
		start(fake.pipeline, log);
		await dovecot.append(m.raw);
		await fake.called(1);
		await dovecot.dropSessions();
		// The pipeline commits after the connection died: the move cannot happen on that session.
		release.resolve();
		await log.next((e) => e.msg === 'IMAP connected' && e.reconnect === true);
		await log.next(msg('IMAP message processed'));
		expect(fake.outcomes.map((o) => o.kind)).toEqual(['stored', 'duplicate']);
		expect(await ids('INBOX')).toEqual([]);
		expect(await ids('Processed')).toEqual([m.id]);
	}, 60_000);

	it('reconnects after Dovecot restarts and processes later mail; stop() resolves with the server gone', async () => {
		const log = recordingLog();
		const fake = fakePipeline();
		const poller = start(fake.pipeline, log);
		await log.next(msg('IMAP waiting for new mail'));
		await dovecot.stop();
		await log.next((e) => e.level === 'warn' && /reconnecting/.test(e.msg));
		await dovecot.start();
		await log.next((e) => e.msg === 'IMAP connected' && e.reconnect === true);
		const m = mail();
		await dovecot.append(m.raw);
		await log.next(msg('IMAP message processed'));
		expect(await ids('Processed')).toEqual([m.id]);
		// Nothing that identifies the account, let alone the password, reaches the log.
		const written = JSON.stringify(log.entries);
		expect(written).not.toContain(dovecot.password);
		expect(written).not.toContain(encodeURIComponent(dovecot.password));
		expect(written).not.toContain(dovecot.user);

		await dovecot.stop();
		const stopping = Date.now();
		await poller.stop();
		expect(Date.now() - stopping).toBeLessThan(10_000);
		await dovecot.start();
	}, 90_000);
});

describe.skipIf(!dovecotAvailable)('IMAP poller over TLS', () => {
	let dovecot: TestDovecot;
	const pollers: { stop(): Promise<void> }[] = [];

	beforeAll(async () => {
		dovecot = await startDovecot({ tls: true });
	}, 60_000);
	afterEach(async () => {
		await Promise.all(pollers.splice(0).map((p) => p.stop()));
		await dovecot.reset();
	}, 30_000);
	afterAll(async () => {
		await dovecot?.close();
	}, 30_000);

	const run = (url: string, tls?: { ca: string }) => {
		const log = recordingLog();
		const fake = fakePipeline();
		const backoff = { minMs: 100, maxMs: 1000 };
		pollers.push(startImapPoller({ url, pipeline: fake.pipeline, log, backoff, tls }));
		return { log, fake };
	};

	it('imaps:// connects with TLS and processes mail', async () => {
		const m = mail();
		await dovecot.append(m.raw);
		const { log, fake } = run(dovecot.tls!.url, { ca: dovecot.tls!.ca });
		expect(await log.next(msg('IMAP connected'))).toMatchObject({ tls: true });
		await log.next(msg('IMAP message processed'));
		expect(fake.calls.map((c) => c.messageId)).toEqual([m.id]);
		expect((await dovecot.list('Processed')).map((x) => x.messageId)).toEqual([m.id]);
	}, 60_000);

	it('imap:// upgrades with STARTTLS when the server offers it', async () => {
		const { log } = run(dovecot.url, { ca: dovecot.tls!.ca });
		expect(await log.next(msg('IMAP connected'))).toMatchObject({ tls: true });
	}, 60_000);

	it('refuses a certificate it cannot verify, and reads nothing', async () => {
		await dovecot.append(mail().raw);
		const { log, fake } = run(dovecot.tls!.url);
		const failed = await log.next(msg('IMAP connection failed; reconnecting'));
		expect(String(failed.reason)).toMatch(/certificate/i);
		expect(fake.calls).toEqual([]);
		expect(log.entries.some((e) => e.msg === 'IMAP connected')).toBe(false);
	}, 60_000);
});

describe.skipIf(!dovecotAvailable)('IMAP poller on a server without IDLE and MOVE', () => {
	let dovecot: TestDovecot;
	let poller: { stop(): Promise<void> } | undefined;

	beforeAll(async () => {
		dovecot = await startDovecot({ capabilities: 'IMAP4rev1 LITERAL+ UIDPLUS' });
	}, 60_000);
	afterAll(async () => {
		await poller?.stop();
		await dovecot?.close();
	}, 30_000);

	it('polls every pollMs and moves with COPY + EXPUNGE', async () => {
		const probe = new ImapFlow({
			host: dovecot.host,
			port: dovecot.port,
			secure: false,
			auth: { user: dovecot.user, pass: dovecot.password },
			logger: false
		});
		await probe.connect();
		expect([probe.capabilities.has('IDLE'), probe.capabilities.has('MOVE')]).toEqual([
			false,
			false
		]);
		await probe.logout();
		const log = recordingLog();
		const fake = fakePipeline();
		const backoff = { minMs: 100, maxMs: 1000 };
		poller = startImapPoller({
			url: dovecot.url,
			pipeline: fake.pipeline,
			log,
			backoff,
			pollMs: 1000
		});
		await log.next(msg('IMAP waiting for new mail'));
		const m = mail();
		await dovecot.append(m.raw);
		await log.next(msg('IMAP message processed'));
		expect(fake.calls.map((c) => c.messageId)).toEqual([m.id]);
		expect((await dovecot.list('INBOX')).map((x) => x.messageId)).toEqual([]);
		expect((await dovecot.list('Processed')).map((x) => x.messageId)).toEqual([m.id]);
	}, 60_000);
});
