import { DomainError } from '$lib/server/errors';
import { testDb } from '$lib/server/test/test-db';
import { describe, expect, it } from 'vitest';
import * as auth from '.';

const { db } = testDb();
/** A database where no staff exists yet (first run). */
const fresh = testDb().db;
const DAY = 86_400_000;

async function makeUser(
	email: string,
	role: 'admin' | 'agent' = 'admin',
	password = 'correct horse battery'
) {
	const { token } = await auth.createSetupToken(db, {
		purpose: role === 'admin' ? 'setup' : 'invite',
		role
	});
	return auth.createAccount(db, token, { email, name: 'Sam Staff', password });
}

describe('passwords', () => {
	it('round-trip with scrypt and refuse a wrong password or a mangled hash', async () => {
		const hash = await auth.hashPassword('a long enough password');
		expect(hash).toMatch(/^scrypt\$65536\$8\$1\$/);
		expect(hash).not.toContain('a long enough password');
		expect(await auth.verifyPassword(hash, 'a long enough password')).toBe(true);
		expect(await auth.verifyPassword(hash, 'a long enough passworD')).toBe(false);
		expect(await auth.verifyPassword('bcrypt$nonsense', 'a long enough password')).toBe(false);
		expect(await auth.hashPassword('a long enough password')).not.toBe(hash); // salted
	});
});

describe('sessions', () => {
	it('create stores only the SHA-256; validate finds the user by the token', async () => {
		const user = await makeUser('s1@example.com');
		const { token, session } = await auth.createSession(db, user.id, 1_000);
		expect(session.id).not.toBe(token);
		expect(session.id).toMatch(/^[0-9a-f]{64}$/);
		expect(session.expires_at).toBe(1_000 + 30 * DAY);
		const found = await auth.validateSession(db, token, 2_000);
		expect(found?.user.email).toBe('s1@example.com');
		expect(found?.renewed).toBe(false);
		// A token one letter off (never the real one, whatever its last letter is).
		const wrong = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
		expect(await auth.validateSession(db, wrong, 2_000)).toBeNull();
		expect(await auth.validateSession(db, 'garbage', 2_000)).toBeNull();
	});

	it('extend (sliding) once past half their life, and expire after 30 idle days', async () => {
		const user = await makeUser('s2@example.com');
		const { token } = await auth.createSession(db, user.id, 0);
		const later = await auth.validateSession(db, token, 20 * DAY);
		expect(later?.renewed).toBe(true);
		expect(later?.session.expires_at).toBe(50 * DAY);
		expect(await auth.validateSession(db, token, 49 * DAY)).not.toBeNull();
		expect(await auth.validateSession(db, token, 49 * DAY + 30 * DAY)).toBeNull();
		// and the expired row is gone
		expect(
			await db.selectFrom('sessions').select('id').where('staff_user_id', '=', user.id).execute()
		).toEqual([]);
	});

	it('invalidate (logout) ends the session; disabled users lose theirs', async () => {
		const user = await makeUser('s3@example.com');
		const a = await auth.createSession(db, user.id);
		const b = await auth.createSession(db, user.id);
		await auth.invalidateSession(db, a.session.id);
		expect(await auth.validateSession(db, a.token)).toBeNull();
		expect(await auth.validateSession(db, b.token)).not.toBeNull();
		await db
			.updateTable('staff_users')
			.set({ disabled_at: Date.now() })
			.where('id', '=', user.id)
			.execute();
		expect(await auth.validateSession(db, b.token)).toBeNull();
	});
});

describe('setup and invite links', () => {
	it('work once, within their lifetime, and never store the token', async () => {
		const { token, expiresAt } = await auth.createSetupToken(db, { purpose: 'setup' }, 0);
		expect(expiresAt).toBe(3_600_000);
		const stored = await db.selectFrom('setup_tokens').select('token_hash').execute();
		expect(stored.map((r) => r.token_hash)).not.toContain(token);
		expect(await auth.findSetupToken(db, token, 3_600_000)).toBeUndefined();
		expect(await auth.findSetupToken(db, token, 10)).toBeDefined();
		const user = await auth.createAccount(
			db,
			token,
			{ email: 'first@example.com', name: 'First', password: 'x'.repeat(12) },
			10
		);
		expect(user.role).toBe('admin');
		await expect(
			auth.createAccount(
				db,
				token,
				{ email: 'again@example.com', name: 'A', password: 'x'.repeat(12) },
				20
			)
		).rejects.toThrow(DomainError);
	});

	it('creating the first admin voids every other outstanding setup link', async () => {
		// Three start-ups without staff each printed a link.
		const links = [];
		for (let i = 0; i < 3; i++)
			links.push((await auth.createSetupToken(fresh, { purpose: 'setup' })).token);
		await auth.createAccount(fresh, links[1], {
			email: 'boss@example.com',
			name: 'Boss',
			password: 'x'.repeat(12)
		});
		for (const t of links) expect(await auth.findSetupToken(fresh, t)).toBeUndefined();
		await expect(
			auth.createAccount(fresh, links[0], {
				email: 'late@example.com',
				name: 'Late',
				password: 'x'.repeat(12)
			})
		).rejects.toThrow(DomainError);
		// A link made later (the setup-link command) still works once.
		const later = (await auth.createSetupToken(fresh, { purpose: 'setup' })).token;
		const other = (await auth.createSetupToken(fresh, { purpose: 'setup' })).token;
		const second = await auth.createAccount(fresh, later, {
			email: 'second@example.com',
			name: 'Second',
			password: 'x'.repeat(12)
		});
		expect(second.role).toBe('admin');
		expect(await auth.findSetupToken(fresh, other)).toBeDefined();
	});

	it('invites create agents; an email in use is refused and the link stays usable', async () => {
		await makeUser('taken@example.com');
		const { token } = await auth.createSetupToken(db, { purpose: 'invite', role: 'agent' });
		await expect(
			auth.createAccount(db, token, {
				email: 'TAKEN@example.com',
				name: 'T',
				password: 'x'.repeat(12)
			})
		).rejects.toThrow(/exists already/);
		const agent = await auth.createAccount(db, token, {
			email: 'agent@example.com',
			name: 'Agent',
			password: 'x'.repeat(12)
		});
		expect(agent.role).toBe('agent');
	});
});

describe('login', () => {
	it('accepts the right password, refuses wrong ones alike, and throttles per email and client', async () => {
		await makeUser('login@example.com', 'agent', 'right password here');
		const limiters = auth.loginLimiters({
			loginPerEmail: 3,
			loginPerClient: 5,
			loginWindowSec: 900
		});
		const ok = await auth.login(db, limiters, {
			email: 'Login@Example.com',
			password: 'right password here',
			clientKey: '10.0.0.1'
		});
		expect(ok.ok && ok.user.role).toBe('agent');
		for (let i = 0; i < 3; i++) {
			const r = await auth.login(db, limiters, {
				email: 'login@example.com',
				password: 'wrong',
				clientKey: '10.0.0.1'
			});
			expect(r).toEqual({ ok: false, reason: 'invalid' });
		}
		const throttled = await auth.login(db, limiters, {
			email: 'login@example.com',
			password: 'right password here',
			clientKey: '10.0.0.2'
		});
		expect(throttled.ok).toBe(false);
		expect(!throttled.ok && throttled.reason).toBe('throttled');
		// per client: another email from the same client runs out too
		const unknown = await auth.login(db, limiters, {
			email: 'nobody@example.com',
			password: 'x',
			clientKey: '10.0.0.1'
		});
		expect(unknown).toEqual({ ok: false, reason: 'invalid' });
		const r = await auth.login(db, limiters, {
			email: 'nobody2@example.com',
			password: 'x',
			clientKey: '10.0.0.1'
		});
		expect(!r.ok && r.reason).toBe('throttled');
	});

	it('roles: agents work tickets, only admins configure', () => {
		expect(auth.can({ role: 'agent' }, 'tickets')).toBe(true);
		expect(auth.can({ role: 'agent' }, 'configure')).toBe(false);
		expect(auth.can({ role: 'admin' }, 'configure')).toBe(true);
		expect(auth.can(null, 'tickets')).toBe(false);
	});
});
