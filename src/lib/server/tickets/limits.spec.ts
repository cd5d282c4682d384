import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '$lib/server/config';
import { createTicketLimits } from './limits';

const dir = mkdtempSync(join(tmpdir(), 'portal-create-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const limits = (perClient: number, perEmail: number, global: number) => ({
	perClient,
	perEmail,
	global,
	windowSec: 3600
});

describe('ticket creation limits', () => {
	it('have documented defaults that env vars change', () => {
		expect(loadConfig({}).createLimits).toEqual({
			perClient: 10,
			perEmail: 5,
			global: 300,
			windowSec: 3600
		});
		expect(
			loadConfig({ CREATE_LIMIT_PER_CLIENT: '2', CREATE_LIMIT_WINDOW_SEC: '60' }).createLimits
		).toMatchObject({ perClient: 2, windowSec: 60 });
		expect(() => loadConfig({ CREATE_LIMIT_GLOBAL: '-1' })).toThrow(/CREATE_LIMIT_GLOBAL/);
	});

	it('refuse the N+1st ticket from one client with a sentence and Retry-After seconds', async () => {
		const l = createTicketLimits(limits(3, 100, 100));
		for (let i = 0; i < 3; i++)
			expect(await l.take({ clientKey: '10.0.0.1', email: `a${i}@example.com` })).toMatchObject({
				ok: true
			});
		const refused = await l.take({ clientKey: '10.0.0.1', email: 'new@example.com' });
		expect(refused.ok).toBe(false);
		if (refused.ok) return;
		expect(refused.name).toBe('create-client');
		expect(refused.retryAfterSec).toBeGreaterThan(3500);
		expect(refused.retryAfterSec).toBeLessThanOrEqual(3600);
		expect(refused.message).toBe(
			'Too many tickets were opened from your network recently. Please try again in 1 hour.'
		);
		// Another client still gets through.
		expect((await l.take({ clientKey: '10.0.0.2', email: 'b@example.com' })).ok).toBe(true);
	});

	it('count one reporter email across clients, ignoring letter case and spaces', async () => {
		const l = createTicketLimits(limits(100, 2, 100));
		expect((await l.take({ clientKey: '1.1.1.1', email: 'victim@example.com' })).ok).toBe(true);
		expect((await l.take({ clientKey: '2.2.2.2', email: ' Victim@Example.com' })).ok).toBe(true);
		const refused = await l.take({ clientKey: '3.3.3.3', email: 'VICTIM@example.com' });
		expect(refused.ok === false && refused.name).toBe('create-email');
		expect(refused.ok === false && refused.message).toMatch(
			/^Too many tickets were opened for this email address recently\. Please try again in/
		);
	});

	it('cap the whole install, and 0 turns a limit off', async () => {
		const l = createTicketLimits(limits(0, 0, 2));
		expect((await l.take({ clientKey: 'a', email: 'a@example.com' })).ok).toBe(true);
		expect((await l.take({ clientKey: 'b', email: 'b@example.com' })).ok).toBe(true);
		const refused = await l.take({ clientKey: 'c', email: 'c@example.com' });
		expect(refused.ok === false && refused.name).toBe('create-global');
		const open = createTicketLimits(limits(0, 0, 0));
		for (let i = 0; i < 20; i++)
			expect((await open.take({ clientKey: 'a', email: 'a@example.com' })).ok).toBe(true);
	});

	it('keep counting across a restart and store no plain email address', async () => {
		const file = join(dir, 'limits.db');
		let db = new Database(file);
		await createTicketLimits(limits(2, 100, 100), db).take({
			clientKey: '2001:db8:1:2::/64',
			email: 'me@example.com'
		});
		await createTicketLimits(limits(2, 100, 100), db).take({
			clientKey: '2001:db8:1:2::/64',
			email: 'me@example.com'
		});
		db.close();
		db = new Database(file);
		const refused = await createTicketLimits(limits(2, 100, 100), db).take({
			clientKey: '2001:db8:1:2::/64',
			email: 'other@example.com'
		});
		expect(refused.ok).toBe(false);
		expect(JSON.stringify(db.prepare('SELECT key FROM rate_limits').all())).not.toContain(
			'me@example.com'
		);
		db.close();
	});

	it('count only tickets actually created: refusals and released reservations cost nothing', async () => {
		const file = join(dir, 'refunds.db');
		const db = new Database(file);
		const l = createTicketLimits(limits(5, 3, 100), db);
		// A burst of attempts refused after the limits were taken (the upload was refused).
		for (let i = 0; i < 20; i++) {
			const r = await l.take({ clientKey: '10.9.9.9', email: 'burst@example.com' });
			expect(r.ok).toBe(true);
			if (r.ok) await r.release();
		}
		// A burst refused by the email limit costs the client nothing either.
		const victim = { clientKey: '10.9.9.8', email: 'full@example.com' };
		for (let i = 0; i < 3; i++) expect((await l.take(victim)).ok).toBe(true);
		for (let i = 0; i < 10; i++) {
			const r = await l.take({ clientKey: '10.9.9.9', email: ' FULL@example.com' });
			expect(r.ok === false && r.name).toBe('create-email');
		}
		// The client still opens its whole allowance, and then the sentence is true.
		for (let i = 0; i < 5; i++)
			expect((await l.take({ clientKey: '10.9.9.9', email: `n${i}@example.com` })).ok).toBe(true);
		const sixth = await l.take({ clientKey: '10.9.9.9', email: 'n6@example.com' });
		expect(sixth.ok === false && sixth.message).toMatch(
			/^Too many tickets were opened from your network recently\./
		);
		// A release never goes below zero, and is spent once.
		const other = await l.take({ clientKey: '10.7.7.7', email: 'x@example.com' });
		if (other.ok) {
			await other.release();
			await other.release();
		}
		const rows = db
			.prepare("SELECT points FROM rate_limits WHERE key LIKE 'create-client:10.7.7.7'")
			.all() as { points: number }[];
		expect(rows.every((r) => r.points >= 0)).toBe(true);
		db.close();
	});
});
