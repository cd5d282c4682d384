import type { Conn } from '$lib/server/db';
import type { StaffUser } from '$lib/server/db/schema';
import { createLimiters, type LimitBackend, type LimitOutcome } from '$lib/server/rate-limit';
import { dummyHash, verifyPassword } from './password';

export interface LoginLimits {
	loginPerEmail: number;
	loginPerClient: number;
	loginWindowSec: number;
}

/** The login throttle: attempts per email and per client in a window (in the app's shared limit store). */
export function loginLimiters(limits: LoginLimits, store?: LimitBackend) {
	return createLimiters(
		{
			loginEmail: { points: limits.loginPerEmail, durationSec: limits.loginWindowSec },
			loginClient: { points: limits.loginPerClient, durationSec: limits.loginWindowSec }
		},
		store
	);
}
export type LoginLimiters = ReturnType<typeof loginLimiters>;

export type LoginResult =
	| { ok: true; user: StaffUser }
	| { ok: false; reason: 'invalid' }
	| ({ ok: false; reason: 'throttled' } & Extract<LimitOutcome, { ok: false }>);

/**
 * Checks an email and password, throttled per email and per client before the password is
 * looked at. Unknown emails, disabled accounts and wrong passwords all give 'invalid' and take
 * the same time. A success clears the email's counter.
 */
export async function login(
	db: Conn,
	limiters: LoginLimiters,
	input: { email: string; password: string; clientKey: string }
): Promise<LoginResult> {
	const email = input.email.trim().toLowerCase();
	const outcome = await limiters.takeAll([
		['loginEmail', email],
		['loginClient', input.clientKey]
	]);
	if (!outcome.ok) return { ...outcome, reason: 'throttled' };
	const user = await db
		.selectFrom('staff_users')
		.selectAll()
		.where('email', '=', email)
		.executeTakeFirst();
	const valid = await verifyPassword(user?.password_hash ?? (await dummyHash()), input.password);
	if (!user || !valid || user.disabled_at !== null) return { ok: false, reason: 'invalid' };
	await limiters.reset('loginEmail', email);
	return { ok: true, user };
}
