import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '$lib/server/config';
import { createThreadLimits } from './limits';

describe('thread reply limits', () => {
	it('allow REPLY_LIMIT_PER_TOKEN replies per link per window, then refuse with Retry-After', async () => {
		const config = loadConfig({ REPLY_LIMIT_PER_TOKEN: '2', REPLY_LIMIT_WINDOW_SEC: '600' });
		const limits = createThreadLimits(config.threads);
		const a = { public_id: 'aaaaaaaaaaaaaaaa' };
		expect(await limits.reply(a)).toEqual({ ok: true });
		expect(await limits.reply(a)).toEqual({ ok: true });
		const refused = await limits.reply(a);
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(refused.retryAfterSec).toBeGreaterThan(590);
		// Another recipient's link of the same ticket has its own budget.
		expect(await limits.reply({ public_id: 'bbbbbbbbbbbbbbbb' })).toEqual({ ok: true });
	});

	it('defaults to 30 per hour, 0 turns the limit off, and counts survive a restart', async () => {
		expect(loadConfig({}).threads.replyLimit).toEqual({ points: 30, durationSec: 3600 });
		const off = createThreadLimits(loadConfig({ REPLY_LIMIT_PER_TOKEN: '0' }).threads);
		for (let i = 0; i < 50; i++)
			expect((await off.reply({ public_id: 'cccccccccccccccc' })).ok).toBe(true);
		expect(() => loadConfig({ REPLY_LIMIT_PER_TOKEN: '-1' })).toThrow(/REPLY_LIMIT_PER_TOKEN/);

		const sqlite = new Database(':memory:');
		const rules = loadConfig({ REPLY_LIMIT_PER_TOKEN: '1' }).threads;
		await createThreadLimits(rules, sqlite).reply({ public_id: 'dddddddddddddddd' });
		expect(
			(await createThreadLimits(rules, sqlite).reply({ public_id: 'dddddddddddddddd' })).ok
		).toBe(false);
		sqlite.close();
	});
});
