import { makeAgent } from '$lib/server/test/staff-agent';
import { testDb } from '$lib/server/test/test-db';
import { describe, expect, it } from 'vitest';
import { createSession, invalidateSession, SESSION_TTL, sessionAlive } from './session';

const { db } = testDb();

describe('sessionAlive (what the event stream re-checks)', () => {
	it('is true for a live session and false once signed out, expired or disabled', async () => {
		const a = await makeAgent(db);
		const { session } = await createSession(db, a.id);
		expect(await sessionAlive(db, session.id)).toBe(true);
		expect(await sessionAlive(db, session.id, Date.now() + SESSION_TTL + 1)).toBe(false);
		await invalidateSession(db, session.id);
		expect(await sessionAlive(db, session.id)).toBe(false);

		const b = await makeAgent(db);
		const other = await createSession(db, b.id);
		await db
			.updateTable('staff_users')
			.set({ disabled_at: Date.now() })
			.where('id', '=', b.id)
			.execute();
		expect(await sessionAlive(db, other.session.id)).toBe(false);
	});
});
