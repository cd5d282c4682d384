import { describe, expect, it } from 'vitest';
import { day, exactTime, relativeTime } from './time';

const now = Date.UTC(2026, 10, 26, 15, 4);

describe('time formatting', () => {
	it('says how long ago in words, the same on every call', () => {
		expect(relativeTime(now - 10_000, now)).toBe('just now');
		expect(relativeTime(now - 3 * 60_000, now)).toBe('3 minutes ago');
		expect(relativeTime(now - 86_400_000, now)).toBe('yesterday');
		expect(relativeTime(now + 2 * 3_600_000, now)).toBe('in 2 hours');
		expect(relativeTime(now - 3 * 60_000, now)).toBe('3 minutes ago');
	});

	it('gives the exact time and the day in UTC', () => {
		expect(exactTime(now)).toBe('Nov 26, 2026, 3:04 PM UTC');
		expect(day(now)).toBe('Nov 26, 2026');
	});

	it('gives each minute its own exact time, remembered or not, across many minutes', () => {
		expect(exactTime(now + 59_999)).toBe('Nov 26, 2026, 3:04 PM UTC');
		expect(exactTime(now + 60_000)).toBe('Nov 26, 2026, 3:05 PM UTC');
		expect(exactTime(now - 1)).toBe('Nov 26, 2026, 3:03 PM UTC');
		expect(exactTime(now, 'de')).toBe('26.11.2026, 15:04 UTC');
		// More minutes than are remembered: every one still reads right.
		for (let i = 0; i < 6000; i += 1000)
			expect(exactTime(now + i * 60_000)).toBe(
				`${new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(now + i * 60_000)} UTC`
			);
		for (let i = 0; i < 6000; i++) exactTime(now + i * 60_000);
		expect(exactTime(now)).toBe('Nov 26, 2026, 3:04 PM UTC');
	});
});
