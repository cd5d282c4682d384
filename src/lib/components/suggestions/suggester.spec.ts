import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Suggestion } from '$lib/shared/types';
import { createSuggester } from './suggester';

const result = (slug: string): Suggestion => ({
	slug,
	title: slug,
	url: `/doc/demo/${slug}`,
	snippet: []
});

describe('createSuggester', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	function setup() {
		const calls: { url: string; signal: AbortSignal }[] = [];
		const pending: ((slug: string) => void)[] = [];
		const fetch = vi.fn((url: string, init: RequestInit) => {
			calls.push({ url, signal: init.signal! });
			return new Promise<Response>((resolve, reject) => {
				init.signal!.addEventListener('abort', () =>
					reject(new DOMException('aborted', 'AbortError'))
				);
				pending.push((slug) => resolve(Response.json({ results: [result(slug)] })));
			});
		}) as unknown as typeof globalThis.fetch;
		const shown: Suggestion[][] = [];
		const s = createSuggester({
			url: '/ticket/demo/suggestions',
			onResults: (r) => shown.push(r),
			fetch
		});
		return { s, calls, pending, shown };
	}

	it('asks once, 250 ms after the last keystroke', async () => {
		const { s, calls } = setup();
		for (const text of ['att', 'atta', 'attac', 'attach']) {
			s.update(text);
			await vi.advanceTimersByTimeAsync(100);
		}
		expect(calls).toHaveLength(0);
		await vi.advanceTimersByTimeAsync(150);
		expect(calls.map((c) => c.url)).toEqual(['/ticket/demo/suggestions?q=attach']);
	});

	it('aborts a request in flight when the text changes, so its late answer is never shown', async () => {
		const { s, calls, pending, shown } = setup();
		s.update('attach');
		await vi.advanceTimersByTimeAsync(250);
		s.update('unsubscribe');
		expect(calls[0].signal.aborted).toBe(true);
		await vi.advanceTimersByTimeAsync(250);
		pending[1]('unsubscribing');
		pending[0]('attaching-files');
		await vi.runAllTimersAsync();
		expect(shown.map((r) => r.map((x) => x.slug))).toEqual([['unsubscribing']]);
	});

	it('clears the suggestions for short text without asking, and ignores unchanged text', async () => {
		const { s, calls, shown } = setup();
		s.update('at');
		s.update('  at  ');
		await vi.advanceTimersByTimeAsync(500);
		expect(calls).toHaveLength(0);
		expect(shown).toEqual([[]]);
	});
});
