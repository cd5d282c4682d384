import type { Suggestion } from '$lib/shared/types';

export interface SuggesterOptions {
	/** The suggestions endpoint, without the query. */
	url: string;
	onResults(results: Suggestion[]): void;
	delayMs?: number;
	/** Fewer characters than this clear the suggestions instead of searching. */
	minLength?: number;
	fetch?: typeof fetch;
}

/**
 * Debounced search-as-you-type: waits `delayMs` after the last change, and aborts a request
 * still in flight as soon as the text changes again, so an old answer never replaces a newer one.
 */
export function createSuggester(options: SuggesterOptions) {
	const { url, onResults, delayMs = 250, minLength = 3 } = options;
	const doFetch = options.fetch ?? fetch;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let inFlight: AbortController | undefined;
	let last = '';

	async function run(q: string) {
		const controller = new AbortController();
		inFlight = controller;
		try {
			const res = await doFetch(`${url}?q=${encodeURIComponent(q)}`, {
				signal: controller.signal,
				headers: { accept: 'application/json' }
			});
			if (!res.ok) return; // e.g. 429: keep what is shown
			const data = (await res.json()) as { results?: Suggestion[] };
			if (!controller.signal.aborted) onResults(data.results ?? []);
		} catch {
			// Aborted or offline: suggestions are a nicety; the form works without them.
		} finally {
			if (inFlight === controller) inFlight = undefined;
		}
	}

	return {
		/** Call with the current text on every change. */
		update(text: string) {
			const q = text.replace(/\s+/g, ' ').trim().slice(0, 300);
			if (q === last) return;
			last = q;
			clearTimeout(timer);
			inFlight?.abort();
			if (q.length < minLength) {
				onResults([]);
				return;
			}
			timer = setTimeout(() => run(q), delayMs);
		},
		destroy() {
			clearTimeout(timer);
			inFlight?.abort();
		}
	};
}
