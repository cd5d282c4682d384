import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { dovecotAvailable } from '../test/dovecot';
import { deferred, fakePipeline, mail, msg, recordingLog, useDovecot } from '../test/imap-fakes';
import { startImapPoller } from './imap';

// The poller when things go wrong, against a real Dovecot: no server, a refused login, a failing
// pipeline, a stop or a SIGKILL mid-processing, a dropped connection, a restarted server, TLS and
// a server without IDLE and MOVE. Nothing is lost and nothing is stored twice.

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

describe.skipIf(!dovecotAvailable)('IMAP poller against Dovecot: failures and recovery', () => {
	const suite = useDovecot();
	const { start, ids } = suite;

	it('logs a refused login as an error and retries with growing delays, never logging the secret', async () => {
		const log = recordingLog();
		const fake = fakePipeline();
		const url = suite.dovecot.url.replace(
			encodeURIComponent(suite.dovecot.password),
			'wrong%20secret'
		);
		start(fake.pipeline, log, { url });
		await log.next(msg('IMAP login refused; retrying'), 3);
		const refusals = log.entries.filter(msg('IMAP login refused; retrying'));
		expect(refusals.map((e) => e.level)).toEqual(['error', 'error', 'error']);
		expect(refusals.map((e) => e.retryInMs)).toEqual([100, 200, 400]);
		const written = JSON.stringify(log.entries);
		expect(written).not.toContain('wrong');
		expect(written).not.toContain(suite.dovecot.user);
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
		await suite.dovecot.append(m.raw);
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
		await suite.dovecot.append(m.raw);
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
		await suite.dovecot.append(m.raw);
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
			env: { ...process.env, IMAP_URL: suite.dovecot.url },
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
		await suite.dovecot.append(m.raw);
		await fake.called(1);
		await suite.dovecot.dropSessions();
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
		await suite.dovecot.stop();
		await log.next((e) => e.level === 'warn' && /reconnecting/.test(e.msg));
		await suite.dovecot.start();
		await log.next((e) => e.msg === 'IMAP connected' && e.reconnect === true);
		const m = mail();
		await suite.dovecot.append(m.raw);
		await log.next(msg('IMAP message processed'));
		expect(await ids('Processed')).toEqual([m.id]);
		// Nothing that identifies the account, let alone the password, reaches the log.
		const written = JSON.stringify(log.entries);
		expect(written).not.toContain(suite.dovecot.password);
		expect(written).not.toContain(encodeURIComponent(suite.dovecot.password));
		expect(written).not.toContain(suite.dovecot.user);

		await suite.dovecot.stop();
		const stopping = Date.now();
		await poller.stop();
		expect(Date.now() - stopping).toBeLessThan(10_000);
		await suite.dovecot.start();
	}, 90_000);
});

describe.skipIf(!dovecotAvailable)('IMAP poller over TLS', () => {
	const suite = useDovecot({ tls: true });
	const run = (url: string, tls?: { ca: string }) => {
		const log = recordingLog();
		const fake = fakePipeline();
		suite.start(fake.pipeline, log, { url, tls });
		return { log, fake };
	};

	it('imaps:// connects with TLS and processes mail', async () => {
		const m = mail();
		await suite.dovecot.append(m.raw);
		const { log, fake } = run(suite.dovecot.tls!.url, { ca: suite.dovecot.tls!.ca });
		expect(await log.next(msg('IMAP connected'))).toMatchObject({ tls: true });
		await log.next(msg('IMAP message processed'));
		expect(fake.calls.map((c) => c.messageId)).toEqual([m.id]);
		expect((await suite.dovecot.list('Processed')).map((x) => x.messageId)).toEqual([m.id]);
	}, 60_000);

	it('imap:// upgrades with STARTTLS when the server offers it', async () => {
		const { log } = run(suite.dovecot.url, { ca: suite.dovecot.tls!.ca });
		expect(await log.next(msg('IMAP connected'))).toMatchObject({ tls: true });
	}, 60_000);

	it('refuses a certificate it cannot verify, and reads nothing', async () => {
		await suite.dovecot.append(mail().raw);
		const { log, fake } = run(suite.dovecot.tls!.url);
		const failed = await log.next(msg('IMAP connection failed; reconnecting'));
		expect(String(failed.reason)).toMatch(/certificate/i);
		expect(fake.calls).toEqual([]);
		expect(log.entries.some((e) => e.msg === 'IMAP connected')).toBe(false);
	}, 60_000);
});

describe.skipIf(!dovecotAvailable)('IMAP poller on a server without IDLE and MOVE', () => {
	const suite = useDovecot({ capabilities: 'IMAP4rev1 LITERAL+ UIDPLUS' });

	it('polls every pollMs and moves with COPY + EXPUNGE', async () => {
		const probe = new ImapFlow({
			host: suite.dovecot.host,
			port: suite.dovecot.port,
			secure: false,
			auth: { user: suite.dovecot.user, pass: suite.dovecot.password },
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
		suite.start(fake.pipeline, log, { pollMs: 1000 });
		await log.next(msg('IMAP waiting for new mail'));
		const m = mail();
		await suite.dovecot.append(m.raw);
		await log.next(msg('IMAP message processed'));
		expect(fake.calls.map((c) => c.messageId)).toEqual([m.id]);
		expect((await suite.dovecot.list('INBOX')).map((x) => x.messageId)).toEqual([]);
		expect((await suite.dovecot.list('Processed')).map((x) => x.messageId)).toEqual([m.id]);
	}, 60_000);
});
