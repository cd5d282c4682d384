import { DomainError } from '$lib/server/errors';
import { testDb } from '$lib/server/test/test-db';
import { describe, expect, it } from 'vitest';
import * as auth from '.';

const { db } = testDb();
let n = 0;

async function makeUser(role: 'admin' | 'agent', password = 'the old password') {
	const { token } = await auth.createSetupToken(db, {
		purpose: role === 'admin' ? 'setup' : 'invite',
		role
	});
	return auth.createAccount(db, token, {
		email: `${role}-${++n}@example.com`,
		name: `${role} ${n}`,
		password
	});
}
const disabledAt = async (id: number) =>
	(
		await db
			.selectFrom('staff_users')
			.select('disabled_at')
			.where('id', '=', id)
			.executeTakeFirstOrThrow()
	).disabled_at;

describe('disable and enable accounts', () => {
	it('an agent cannot disable or enable anyone', async () => {
		const agent = await makeUser('agent');
		const other = await makeUser('agent');
		await expect(
			auth.setDisabled(db, { actor: agent, userId: other.id, disabled: true })
		).rejects.toThrow(/Only an admin/);
		await expect(
			auth.setDisabled(db, { actor: agent, userId: agent.id, disabled: false })
		).rejects.toThrow(DomainError);
		expect(await disabledAt(other.id)).toBeNull();
	});

	it("disabling ends the user's sessions and sign-ins; enabling lets them sign in again", async () => {
		const admin = await makeUser('admin');
		const agent = await makeUser('agent', 'agent password 1');
		const { token } = await auth.createSession(db, agent.id);
		expect(
			await auth.setDisabled(db, { actor: admin, userId: agent.id, disabled: true }, 5_000)
		).toBe(true);
		expect(await disabledAt(agent.id)).toBe(5_000);
		expect(
			await db.selectFrom('sessions').select('id').where('staff_user_id', '=', agent.id).execute()
		).toEqual([]);
		expect(await auth.validateSession(db, token)).toBeNull();
		const limiters = auth.loginLimiters({
			loginPerEmail: 50,
			loginPerClient: 50,
			loginWindowSec: 900
		});
		const login = () =>
			auth.login(db, limiters, {
				email: agent.email,
				password: 'agent password 1',
				clientKey: '10.9.9.9'
			});
		expect(await login()).toEqual({ ok: false, reason: 'invalid' });
		expect(await auth.setDisabled(db, { actor: admin, userId: agent.id, disabled: true })).toBe(
			false
		);
		expect(await auth.setDisabled(db, { actor: admin, userId: agent.id, disabled: false })).toBe(
			true
		);
		expect((await login()).ok).toBe(true);
		const actions = await db
			.selectFrom('audit_events')
			.select('action')
			.where('actor_id', '=', admin.id)
			.execute();
		expect(actions.map((a) => a.action)).toEqual(['staff.disabled', 'staff.enabled']);
	});

	it('the last active admin cannot be disabled, nor can an admin disable themselves', async () => {
		// Every admin so far is disabled but one.
		const admins = await db
			.selectFrom('staff_users')
			.select('id')
			.where('role', '=', 'admin')
			.execute();
		const last = await makeUser('admin');
		const helper = await makeUser('admin');
		for (const a of admins)
			await auth.setDisabled(db, { actor: last, userId: a.id, disabled: true });
		await expect(
			auth.setDisabled(db, { actor: last, userId: last.id, disabled: true })
		).rejects.toThrow(/your own account/);
		expect(await auth.setDisabled(db, { actor: last, userId: helper.id, disabled: true })).toBe(
			true
		);
		// `helper` is disabled now; a still-valid admin object acting on `last` finds it is the last one.
		await expect(
			auth.setDisabled(db, { actor: helper, userId: last.id, disabled: true })
		).rejects.toThrow(/last active admin/);
		expect(await disabledAt(last.id)).toBeNull();
	});
});

describe('change password', () => {
	it('needs the current password and 12 characters, and signs out every other session', async () => {
		const me = await makeUser('agent', 'the old password');
		const here = await auth.createSession(db, me.id);
		const elsewhere = await auth.createSession(db, me.id);
		const change = (current: string, password: string) =>
			auth.changePassword(db, { userId: me.id, current, password, keepSession: here.session.id });
		await expect(change('wrong password!', 'a brand new password')).rejects.toThrow(
			/not your current password/
		);
		await expect(change('the old password', 'too short')).rejects.toMatchObject({
			field: 'password'
		});
		expect(await auth.validateSession(db, elsewhere.token)).not.toBeNull();
		expect(await change('the old password', 'a brand new password')).toEqual({ ok: true });
		expect(await auth.validateSession(db, here.token)).not.toBeNull();
		expect(await auth.validateSession(db, elsewhere.token)).toBeNull();
		const limiters = auth.loginLimiters({
			loginPerEmail: 50,
			loginPerClient: 50,
			loginWindowSec: 900
		});
		const login = (password: string) =>
			auth.login(db, limiters, { email: me.email, password, clientKey: '10.8.8.8' });
		expect((await login('the old password')).ok).toBe(false);
		expect((await login('a brand new password')).ok).toBe(true);
	});

	it('wrong current passwords count against the sign-in throttle', async () => {
		const me = await makeUser('agent', 'the old password');
		const limiters = auth.loginLimiters({
			loginPerEmail: 2,
			loginPerClient: 50,
			loginWindowSec: 900
		});
		const change = (current: string) =>
			auth.changePassword(db, {
				userId: me.id,
				current,
				password: 'a brand new password',
				keepSession: null,
				limiters
			});
		await expect(change('guess one')).rejects.toThrow(DomainError);
		await expect(change('guess two')).rejects.toThrow(DomainError);
		const r = await change('the old password');
		expect(r.ok).toBe(false);
		expect(!r.ok && r.reason).toBe('throttled');
	});
});
