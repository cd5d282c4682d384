import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A mail the test server accepted: the SMTP envelope and the parsed message. */
export interface Received {
	rcptTo: string[];
	raw: string;
	mail: ParsedMail;
}

export interface TestSmtp {
	url: string;
	received: Received[];
	/** Refuse the next RCPT TO (or DATA) with this reply, once. */
	refuseNext(phase: 'rcpt' | 'data', code: number, text: string): void;
	/** Called after each accepted mail (e.g. to stop an outbox mid-queue). */
	onAccepted?: (r: Received) => void;
	/** Answers each RCPT TO this much later (ms), to keep senders busy mid-queue. */
	rcptDelayMs: number;
	/** Called when a RCPT TO arrives, before it is answered (e.g. to kill the sender mid-send). */
	onRcpt?: (address: string) => void;
	close(): Promise<void>;
}

function smtpError(code: number, text: string): Error {
	return Object.assign(new Error(text), { responseCode: code });
}

/** A real SMTP server on loopback (no TLS, no auth) for integration tests of the mail path. */
export async function startTestSmtp(): Promise<TestSmtp> {
	const refusals: { phase: 'rcpt' | 'data'; code: number; text: string }[] = [];
	const take = (phase: 'rcpt' | 'data') => {
		const i = refusals.findIndex((r) => r.phase === phase);
		return i < 0 ? null : refusals.splice(i, 1)[0];
	};
	const api: TestSmtp = {
		url: '',
		received: [],
		rcptDelayMs: 0,
		refuseNext: (phase, code, text) => void refusals.push({ phase, code, text }),
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onRcptTo(address, _session, callback) {
			api.onRcpt?.(address.address);
			const refuse = take('rcpt');
			const answer = () => callback(refuse ? smtpError(refuse.code, refuse.text) : null);
			if (api.rcptDelayMs) setTimeout(answer, api.rcptDelayMs);
			else answer();
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', async () => {
				const refuse = take('data');
				if (refuse) return callback(smtpError(refuse.code, refuse.text));
				const raw = Buffer.concat(chunks).toString('utf8');
				const received: Received = {
					rcptTo: session.envelope.rcptTo.map((a) => a.address),
					raw,
					mail: await simpleParser(raw)
				};
				api.received.push(received);
				callback(null);
				api.onAccepted?.(received);
			});
		}
	});
	// A sender killed mid-session resets its connection; that is the client's failure, not ours.
	server.on('error', () => {});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	api.url = `smtp://127.0.0.1:${port}`;
	return api;
}
