// The dashboard's live updates: one EventSource on /app/events. While it is down (a proxy that
// does not pass streams, a restart), the page falls back to refreshing every 60 s and catches up
// once the stream is back.

export interface TicketChange {
	change: string;
	ticketId: number;
	projectId: number;
}
export interface Typing {
	ticketId: number;
	staffId: number;
	name: string;
}

export const POLL_MS = 60_000;

/** Subscribes until the returned function is called (e.g. an effect's cleanup). */
export function subscribeLive(handlers: {
	ticket?: (e: TicketChange) => void;
	typing?: (e: Typing) => void;
	/** Refreshes the page's data: the fallback poll, and a catch-up after a broken stream. */
	refresh: () => void;
}): () => void {
	let source: EventSource | null = null;
	let poll: ReturnType<typeof setInterval> | null = null;
	let retry: ReturnType<typeof setTimeout> | null = null;
	let broken = false;
	let stopped = false;

	const startPoll = () => {
		poll ??= setInterval(handlers.refresh, POLL_MS);
	};
	const stopPoll = () => {
		if (poll) clearInterval(poll);
		poll = null;
	};
	const parse = <T>(m: MessageEvent, fn?: (e: T) => void) => {
		try {
			fn?.(JSON.parse(m.data) as T);
		} catch {
			// A malformed frame: ignore it.
		}
	};

	function connect() {
		if (stopped) return;
		const es = new EventSource('/app/events');
		source = es;
		es.addEventListener('open', () => {
			stopPoll();
			// Events may have been missed while the stream was down.
			if (broken) handlers.refresh();
			broken = false;
		});
		es.addEventListener('ticket', (m) => parse(m, handlers.ticket));
		es.addEventListener('typing', (m) => parse(m, handlers.typing));
		es.addEventListener('error', () => {
			broken = true;
			startPoll();
			// Closed for good (e.g. a 401 or 503): try a fresh stream later; the poll covers meanwhile.
			if (es.readyState === EventSource.CLOSED && !stopped) {
				source = null;
				retry = setTimeout(connect, 15_000);
			}
		});
	}

	connect();
	return () => {
		stopped = true;
		source?.close();
		stopPoll();
		if (retry) clearTimeout(retry);
	};
}

/** Runs `fn` at most once per `ms`, at the end of a burst (many events → one refresh). */
export function debounce(fn: () => void, ms = 250): () => void {
	let timer: ReturnType<typeof setTimeout> | null = null;
	return () => {
		if (timer) clearTimeout(timer);
		timer = setTimeout(() => {
			timer = null;
			fn();
		}, ms);
	};
}
