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
});
