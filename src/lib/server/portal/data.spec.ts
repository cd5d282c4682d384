import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createPrivacyLimits } from '$lib/server/privacy';
import { takeDataLimit } from './data';

const me = { sessionId: 'session-token-abc', email: 'me@example.com', discordUserId: null };

function recorder() {
	const lines: [object, string][] = [];
	return { lines, warn: (o: object, msg: string) => void lines.push([o, msg]) };
}

describe('takeDataLimit', () => {
	it('allows the hourly budget, then refuses with a sentence, Retry-After seconds and no personal data in the log', async () => {
		const privacy = {
			limits: createPrivacyLimits(
				{
					export: { points: 2, durationSec: 3600 },
					erase: { points: 1, durationSec: 3600 }
					// SQLite counters: the in-memory limiter's hour-long timers would keep the worker alive.
				},
				new Database(':memory:')
			)
		};
		const log = recorder();
		const who = { me, clientKey: 'client-1' };
		expect((await takeDataLimit(privacy, 'export', who, log)).ok).toBe(true);
		expect((await takeDataLimit(privacy, 'export', who, log)).ok).toBe(true);
		const refused = await takeDataLimit(privacy, 'export', who, log);
		expect(refused).toMatchObject({ ok: false });
		if (refused.ok) return;
		expect(refused.retryAfterSec).toBeGreaterThan(3500);
		expect(refused.message).toBe(
			'You have done this too often in a short time. Try again in 60 minutes.'
		);
		// Deleting has a budget of its own.
		expect((await takeDataLimit(privacy, 'erase', who, log)).ok).toBe(true);
		// Another session from the same client shares the client's budget.
		const other = { me: { ...me, sessionId: 'another-session' }, clientKey: 'client-1' };
		expect((await takeDataLimit(privacy, 'erase', other, log)).ok).toBe(false);
		expect(log.lines.map(([o, msg]) => [o, msg])).toEqual([
			[{ by: 'portal', action: 'export' }, 'privacy rate limit'],
			[{ by: 'portal', action: 'erase' }, 'privacy rate limit']
		]);
	});
});
