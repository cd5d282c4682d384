import { app, start, stop } from '$lib/server/app';
import { loadConfig } from '$lib/server/config';
import type { StaffUser } from '$lib/server/db/schema';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Every form action under /app, called as nobody, as an agent and as an admin: nobody gets 401,
 * agents get 403 on the admin screens, and nobody with the right role is stopped by the guard.
 */
type Action = (event: unknown) => Promise<unknown>;
// Glob patterns treat parentheses as syntax, so collect all page servers and keep the dashboard's.
const all = import.meta.glob('/src/routes/**/+page.server.ts', { eager: true }) as Record<
	string,
	{ actions?: Record<string, Action> }
>;
const modules = Object.fromEntries(
	Object.entries(all).filter(([file]) => file.includes('/(staff)/app/(signed-in)/'))
);
const ADMIN_ONLY = /\/(projects|templates|customers|staff|settings|privacy|saved-replies)\//;

const dir = mkdtempSync(join(tmpdir(), 'portal-roles-'));
const users: Partial<Record<'admin' | 'agent', StaffUser>> = {};
beforeAll(async () => {
	await start(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), { outbox: false });
	for (const role of ['admin', 'agent'] as const) {
		users[role] = await app()
			.db.insertInto('staff_users')
			.values({
				email: `${role}@example.com`,
				name: role,
				password_hash: 'x',
				role,
				disabled_at: null,
				created_at: 0
			})
			.returningAll()
			.executeTakeFirstOrThrow();
	}
});
afterAll(async () => {
	await stop();
	rmSync(dir, { recursive: true, force: true });
});

const user = (role: 'admin' | 'agent'): StaffUser => users[role]!;

async function outcome(action: Action, staff: StaffUser | null): Promise<number> {
	const url = new URL('http://localhost/app/x');
	const event = {
		locals: { staff, session: null, clientKey: '127.0.0.1' },
		url,
		params: { id: '999999', key: 'no-such-project' },
		request: new Request(url, {
			method: 'POST',
			body: new URLSearchParams(),
			headers: { accept: 'application/json' }
		}),
		cookies: { get: () => undefined, set() {}, delete() {}, getAll: () => [], serialize: () => '' },
		setHeaders() {},
		getClientAddress: () => '127.0.0.1'
	};
	try {
		const r = (await action(event)) as { status?: number } | undefined;
		return r?.status ?? 200;
	} catch (err) {
		if (isHttpError(err)) return err.status;
		if (isRedirect(err)) return err.status;
		throw err;
	}
}

const entries = Object.entries(modules).flatMap(([file, m]) =>
	Object.entries(m.actions ?? {}).map(([name, fn]) => ({ file, name, fn }))
);

describe('role checks on every /app action', () => {
	it('finds the actions', () => {
		expect(entries.length).toBeGreaterThan(15);
	});

	for (const { file, name, fn } of entries) {
		const label = `${file.replace(/^.*\(signed-in\)/, '/app').replace('/+page.server.ts', '')} ?/${name}`;
		const adminOnly = ADMIN_ONLY.test(file);
		it(`${label}: nobody → 401; agent → ${adminOnly ? '403' : 'allowed'}; admin → allowed`, async () => {
			expect(await outcome(fn, null)).toBe(401);
			const agent = await outcome(fn, user('agent'));
			if (adminOnly) expect(agent).toBe(403);
			else expect([401, 403]).not.toContain(agent);
			expect([401, 403]).not.toContain(await outcome(fn, user('admin')));
		});
	}
});
