import type { Bus, LiveEvent } from './bus';

export interface StreamOptions {
	/** The signed-in staff member; their own typing heartbeats are not sent back to them. */
	staffId: number;
	/** Checked with every heartbeat: false (signed out, disabled) ends the stream. */
	stillSignedIn: () => Promise<boolean>;
}

export interface Streams {
	/** A `text/event-stream` response fed by the bus, or a 503 once draining. */
	open(options: StreamOptions): Response;
	/** Ends every open stream and refuses new ones (shutdown), so the server can close. */
	drain(): void;
	/** How many streams are open (tests, logs). */
	count(): number;
}

const encoder = new TextEncoder();

/** One event in the SSE wire format: the kind as the event name, the rest as JSON data. */
function frame(e: LiveEvent): string {
	const { kind, ...data } = e;
	return `event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Server-Sent Events for the dashboard. Each stream sends a comment every `heartbeatMs` (so
 * proxies keep it open and a dead client is noticed) and re-checks the session then.
 */
export function createStreams(bus: Bus, heartbeatMs = 15_000): Streams {
	const open = new Set<() => void>();
	let draining = false;
	return {
		open(options) {
			if (draining)
				return new Response('The server is restarting.', {
					status: 503,
					headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' }
				});
			let end = () => {};
			const body = new ReadableStream<Uint8Array>({
				start(controller) {
					const send = (s: string) => {
						try {
							controller.enqueue(encoder.encode(s));
						} catch {
							end();
						}
					};
					const off = bus.subscribe((e) => {
						if (e.kind === 'typing' && e.staffId === options.staffId) return;
						send(frame(e));
					});
					const beat = setInterval(async () => {
						if (!(await options.stillSignedIn().catch(() => false))) return end();
						send(': ping\n\n');
					}, heartbeatMs);
					end = () => {
						if (!open.delete(end)) return;
						clearInterval(beat);
						off();
						try {
							controller.close();
						} catch {
							// Already closed by the client.
						}
					};
					open.add(end);
					// Reconnect after 3 s when the connection drops; a comment opens the stream at once.
					send('retry: 3000\n: connected\n\n');
				},
				cancel() {
					end();
				}
			});
			return new Response(body, {
				headers: {
					'content-type': 'text/event-stream; charset=utf-8',
					'cache-control': 'no-store',
					// A stream is its connection's last response: once it ends (drain, sign-out) the
					// socket closes instead of idling, so a shutdown need not wait for it.
					connection: 'close',
					// nginx and similar proxies must not buffer the stream.
					'x-accel-buffering': 'no'
				}
			});
		},
		drain() {
			draining = true;
			for (const end of [...open]) end();
		},
		count: () => open.size
	};
}
