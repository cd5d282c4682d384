import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Logger } from '$lib/server/log';
import type { InboundPipeline, InboundOutcome } from './contract';
import { InboundDeferred } from './parts';

export interface ListenerOptions {
	port: number;
	host: string;
	/** Speak LMTP (a Postfix/Exim LMTP transport) instead of SMTP. */
	lmtp: boolean;
	/** PEM file paths: STARTTLS is offered when given. */
	tls: { cert: string; key: string } | null;
	maxClients: number;
	/** Largest message (bytes): 552 at DATA above it, without keeping the bytes. */
	maxBytes: number;
	/** Name in the greeting (the inbound domain). */
	name: string;
}

/** An SMTP reply with a code the listener chooses. */
function reply(code: number, message: string): Error & { responseCode: number } {
	return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The built-in SMTP/LMTP listener: it sits behind the MX (or is the MX) and takes only mail for
 * addresses the pipeline accepts (550 at RCPT TO otherwise), refuses mail over the size limit
 * at DATA (552), and answers 250 only once the pipeline has stored or deliberately dropped the
 * message; a transient failure answers 451 so the sending server tries again.
 */
export function createListener(pipeline: InboundPipeline, o: ListenerOptions, log: Logger) {
	const transport = o.lmtp ? ('lmtp' as const) : ('smtp' as const);
	const server = new SMTPServer({
		name: o.name,
		banner: 'Ticket Portal',
		lmtp: o.lmtp,
		secure: false,
		...(o.tls
			? { key: readFileSync(o.tls.key), cert: readFileSync(o.tls.cert) }
			: { hideSTARTTLS: true }),
		// It sits behind the MX: no sign-in, only our own addresses are taken.
		authOptional: true,
		disabledCommands: o.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
		size: o.maxBytes,
		rejectOversized: true,
		maxClients: o.maxClients,
		socketTimeout: 60_000,
		closeTimeout: 30_000,
		logger: false,
		onRcptTo(address, _session, callback) {
			pipeline.accepts(address.address).then(
				(ok) => callback(ok ? null : reply(550, '5.1.1 No such recipient here')),
				(err) => {
					log.warn({ err }, 'inbound: recipient check failed');
					callback(reply(451, '4.3.0 Temporary failure, try again later'));
				}
			);
		},
		onData(stream, session, callback) {
			collect(stream, o.maxBytes).then((raw) => {
				if (!raw) return callback(reply(552, '5.3.4 Message too big'));
				deliver(raw, session).then(
					(outcomes) => {
						const answered = answer(outcomes);
						if (answered instanceof Error) callback(answered);
						// LMTP: one reply per recipient (smtp-server takes an array here).
						else callback(null, answered as string);
					},
					(err) => callback(err)
				);
			}, callback);
		}
	});
	server.on('error', (err) => log.warn({ err }, 'inbound: listener error'));

	async function deliver(raw: Uint8Array, session: SMTPServerSession) {
		const envelope = {
			mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null,
			rcptTo: session.envelope.rcptTo.map((r) => r.address),
			client: session.remoteAddress,
			transport
		};
		try {
			if (!o.lmtp) return [await pipeline.receive(raw, envelope)];
			// LMTP answers per recipient: one delivery each.
			const outcomes: (InboundOutcome | Error)[] = [];
			for (const rcpt of envelope.rcptTo) {
				outcomes.push(
					await pipeline
						.receive(raw, { ...envelope, rcptTo: [rcpt] })
						.catch((err: unknown) => transient(err))
				);
			}
			return outcomes;
		} catch (err) {
			throw transient(err);
		}
	}

	function transient(err: unknown): Error {
		if (err instanceof InboundDeferred)
			return reply(451, `4.7.1 ${err.message}, try again in ${err.retryAfterSec} seconds`);
		log.error({ err }, 'inbound: message not stored, the sender will retry');
		return reply(451, '4.3.0 Temporary failure, try again later');
	}

	/** SMTP: one answer; LMTP: one per recipient (an Error is its own reply). */
	function answer(outcomes: (InboundOutcome | Error)[]) {
		const one = (x: InboundOutcome | Error) =>
			x instanceof Error
				? x
				: x.kind === 'refused'
					? reply(
							550,
							`5.7.1 ${x.detail === 'no such recipient' ? 'No such recipient here' : 'Message refused'}`
						)
					: `2.0.0 Accepted`;
		if (o.lmtp) return outcomes.map(one);
		return one(outcomes[0]);
	}

	return {
		server,
		/** Starts listening; resolves with the bound port (useful with port 0 in tests). */
		listen(): Promise<number> {
			return new Promise((resolvePort, reject) => {
				server.once('error', reject);
				server.listen(o.port, o.host, () => {
					server.off('error', reject);
					resolvePort((server.server.address() as AddressInfo).port);
				});
			});
		},
		/** Stops taking connections and waits for the ones in progress. */
		close(): Promise<void> {
			return new Promise((r) => server.close(() => r()));
		}
	};
}

/**
 * Reads the DATA stream, keeping bytes only up to `max`: past it the rest is drained unkept and
 * null is returned (the server answers 552 without buffering a huge message).
 */
function collect(stream: SMTPServerDataStream, max: number): Promise<Uint8Array | null> {
	return new Promise((resolveData, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let over = false;
		stream.on('data', (chunk: Buffer) => {
			if (over) return;
			size += chunk.length;
			if (size > max) {
				over = true;
				chunks.length = 0;
				return;
			}
			chunks.push(chunk);
		});
		stream.on('error', reject);
		stream.on('end', () => resolveData(over || stream.sizeExceeded ? null : Buffer.concat(chunks)));
	});
}

export type Listener = ReturnType<typeof createListener>;
