import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '$lib/server/log';
import { replyAddress } from '$lib/server/notifications/compose';
import { makeTicket } from '$lib/server/test/factories';
import { DOMAIN, fixture, testPipeline } from '$lib/server/test/inbound';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import type { InboundPipeline } from './contract';
import { createListener, type Listener } from './listener';

const { db } = testDb();
const { pipeline, dir } = testPipeline(db);
const log = createLogger('silent');
const MAX = 64 * 1024;

const listeners: Listener[] = [];
async function listen(
	p: InboundPipeline,
	extra: { lmtp?: boolean; tls?: { cert: string; key: string } } = {}
) {
	const l = createListener(
		p,
		{
			port: 0,
			host: '127.0.0.1',
			lmtp: false,
			tls: null,
			maxClients: 5,
			maxBytes: MAX,
			name: DOMAIN,
			...extra
		},
		log
	);
	listeners.push(l);
	return l.listen();
}
afterAll(async () => {
	for (const l of listeners) await l.close();
});

const client = (port: number, o: { lmtp?: boolean; tls?: boolean } = {}) =>
	nodemailer.createTransport({
		host: '127.0.0.1',
		port,
		lmtp: o.lmtp ?? false,
		secure: false,
		ignoreTLS: !o.tls,
		requireTLS: o.tls ?? false,
		tls: { rejectUnauthorized: false }
	} as SMTPTransport.Options);

let port: number;
beforeAll(async () => void (port = await listen(pipeline)));

describe('the SMTP listener', () => {
	it('250 for a reply only after it is stored; the reply is in the thread', async () => {
		const { ticket, reporter } = await makeTicket(db);
		const to = replyAddress(TEST_SECRET, reporter, DOMAIN);
		const info = await client(port).sendMail({
			envelope: { from: 'alice.reporter@gmail.com', to: [to] },
			raw: Buffer.from(fixture('gmail-reply.eml', to, 'l1'))
		});
		expect(info.response).toMatch(/^250 /);
		const msgs = await db
			.selectFrom('messages')
			.select('body')
			.where('ticket_id', '=', ticket.id)
			.where('kind', '=', 'message')
			.execute();
		expect(msgs.map((m) => m.body)).toContain(
			'Thanks, restarting the spooler fixed it for now. It still shows "offline" after a reboot though.\n\nAlice'
		);
	});

	it('550 at RCPT TO for an unknown address, with nothing that tells whether a token exists', async () => {
		const { reporter } = await makeTicket(db);
		const forged = replyAddress(TEST_SECRET, reporter, DOMAIN).replace(/[a-z2-7]{4}@/, 'aaaa@');
		for (const to of [`nobody@${DOMAIN}`, forged, 'someone@elsewhere.example']) {
			const err = await client(port)
				.sendMail({ from: 'x@example.org', to, subject: 's', text: 't' })
				.catch((e: { responseCode?: number; response?: string }) => e);
			expect(err).toMatchObject({ responseCode: 550 });
			expect((err as { response: string }).response).toMatch(
				/^550 5\.1\.1 No such recipient here$/
			);
		}
	});

	it('552 at DATA for a message over the size limit', async () => {
		const { reporter } = await makeTicket(db);
		const to = replyAddress(TEST_SECRET, reporter, DOMAIN);
		const err = await client(port)
			.sendMail({ from: 'x@example.org', to, subject: 'big', text: 'x'.repeat(MAX * 2) })
			.catch((e: { responseCode?: number }) => e);
		expect(err).toMatchObject({ responseCode: 552 });
	});

	it('451 when the pipeline fails transiently, so the sending server retries', async () => {
		const failing: InboundPipeline = {
			accepts: async () => true,
			receive: async () => {
				throw new Error('database unreachable');
			}
		};
		const p = await listen(failing);
		const err = await client(p)
			.sendMail({ from: 'x@example.org', to: `a@${DOMAIN}`, subject: 's', text: 't' })
			.catch((e: { responseCode?: number }) => e);
		expect(err).toMatchObject({ responseCode: 451 });
	});

	it('LMTP: one answer per recipient', async () => {
		const p = await listen(pipeline, { lmtp: true });
		const { ticket, reporter } = await makeTicket(db);
		const to = replyAddress(TEST_SECRET, reporter, DOMAIN);
		const info = await client(p, { lmtp: true }).sendMail({
			from: 'x@example.org',
			to,
			subject: 'Re: x',
			text: 'Sent over LMTP'
		});
		expect(info.accepted).toEqual([to]);
		const row = await db
			.selectFrom('inbound_messages')
			.select('transport')
			.where('ticket_id', '=', ticket.id)
			.executeTakeFirstOrThrow();
		expect(row.transport).toBe('lmtp');
	});

	it('STARTTLS when a certificate is given', async () => {
		const key = join(dir, 'key.pem');
		const cert = join(dir, 'cert.pem');
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-keyout',
				key,
				'-out',
				cert,
				'-days',
				'1',
				'-subj',
				`/CN=${DOMAIN}`
			],
			{ stdio: 'ignore' }
		);
		const p = await listen(pipeline, { tls: { cert, key } });
		const { reporter } = await makeTicket(db);
		const to = replyAddress(TEST_SECRET, reporter, DOMAIN);
		const info = await client(p, { tls: true }).sendMail({
			from: 'x@example.org',
			to,
			subject: 'Re: x',
			text: 'Sent over TLS'
		});
		expect(info.response).toMatch(/^250 /);
	});
});
