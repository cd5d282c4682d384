import { describe, expect, it } from 'vitest';
import { dovecotAvailable } from '../test/dovecot';
import { deferred, fakePipeline, mail, msg, recordingLog, useDovecot } from '../test/imap-fakes';
import { envelopeOf, parseImapUrl } from './imap';

// The poller against a real Dovecot started by this file, with a recording pipeline: how it
// reads, hands over and files mail. Failures, crashes and connections: imap-recovery.spec.ts.

if (!dovecotAvailable)
	console.log(
		'IMAP poller specs skipped: /usr/sbin/dovecot is missing (apt-get install dovecot-imapd)'
	);

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

describe.skipIf(!dovecotAvailable)('IMAP poller against Dovecot: processing', () => {
	const suite = useDovecot();
	const { start, ids } = suite;

	it('processes the messages already in INBOX at start, oldest first, and moves them to Processed', async () => {
		const a = mail();
		const b = mail();
		await suite.dovecot.append(a.raw);
		await suite.dovecot.append(b.raw);
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
		await suite.dovecot.append(m.raw);
		await log.next(msg('IMAP message processed'), 1, 60_000);
		const elapsed = Date.now() - sent;
		expect(elapsed).toBeLessThan(20_000);
		expect(await ids('Processed')).toEqual([m.id]);
		expect(await ids('INBOX')).toEqual([]);
		// A second one on the same session: the wait resumed after the first.
		const n = mail();
		await suite.dovecot.append(n.raw);
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
		await suite.dovecot.append(first.raw);
		await fake.called(1);
		await suite.dovecot.append(second.raw);
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
		await suite.dovecot.append(m.raw);
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
		await suite.dovecot.append(m.raw);
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
		await suite.dovecot.append(big.raw);
		expect(await log.next(msg('IMAP message refused: too large'))).toMatchObject({
			folder: 'Failed'
		});
		expect(fake.calls).toEqual([]);
		expect(await ids('Failed')).toEqual([big.id]);
		expect(await ids('INBOX')).toEqual([]);
	}, 60_000);
});
