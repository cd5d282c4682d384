import { DomainError } from '$lib/server/errors';
import * as audit from '$lib/server/audit';
import type { Db } from '$lib/server/db';
import type { StaffUser } from '$lib/server/db/schema';
import type { LimitOutcome } from '$lib/server/rate-limit';
import type { LoginLimiters } from './login';
import { hashPassword, MIN_PASSWORD, verifyPassword } from './password';
import { can } from './roles';

type Actor = Pick<StaffUser, 'id' | 'role'>;

/**
 * Disables or re-enables a staff account (admins only). A disabled account's sessions are
 * deleted at once and it can no longer sign in. Refused: agents, disabling yourself, and
 * disabling the last active admin. Returns false when the account was already in that state.
 */
export async function setDisabled(
	db: Db,
	input: { actor: Actor; userId: number; disabled: boolean },
	now = Date.now()
): Promise<boolean> {
	if (!can(input.actor, 'configure'))
		throw new DomainError('Only an admin can disable or enable accounts.');
	return db.transaction().execute(async (tx) => {
		const user = await tx
			.selectFrom('staff_users')
			.select(['id', 'role', 'disabled_at'])
			.where('id', '=', input.userId)
			.executeTakeFirst();
		if (!user) throw new DomainError('That account does not exist.');
		if ((user.disabled_at !== null) === input.disabled) return false;
		if (input.disabled) {
			if (user.id === input.actor.id) throw new DomainError('You can’t disable your own account.');
			if (user.role === 'admin') {
				const admins = await tx
					.selectFrom('staff_users')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.where('role', '=', 'admin')
					.where('disabled_at', 'is', null)
					.executeTakeFirstOrThrow();
				if (Number(admins.n) <= 1)
					throw new DomainError('This is the last active admin; it can’t be disabled.');
			}
			await tx.deleteFrom('sessions').where('staff_user_id', '=', user.id).execute();
		}
		await tx
			.updateTable('staff_users')
			.set({ disabled_at: input.disabled ? now : null })
			.where('id', '=', user.id)
			.execute();
		await audit.record(
			tx,
			{
				ticketId: null,
				actor: { kind: 'staff', id: input.actor.id },
				action: input.disabled ? 'staff.disabled' : 'staff.enabled',
				data: { staffUserId: user.id }
			},
			now
		);
		return true;
	});
}

export type PasswordChange =
	{ ok: true } | ({ ok: false; reason: 'throttled' } & Extract<LimitOutcome, { ok: false }>);

/**
 * Changes a staff member's own password: the current one must match (attempts count against
 * the sign-in throttle for their email), the new one has at least 12 characters. Every other
 * session of the user ends; `keepSession` (the one making the change) stays signed in.
 * Throws DomainError for a wrong current password or a too-short new one.
 */
export async function changePassword(
	db: Db,
	input: {
		userId: number;
		current: string;
		password: string;
		keepSession: string | null;
		limiters?: LoginLimiters;
	},
	now = Date.now()
): Promise<PasswordChange> {
	if (input.password.length < MIN_PASSWORD)
		throw new DomainError(`Use at least ${MIN_PASSWORD} characters.`, 'password');
	const user = await db
		.selectFrom('staff_users')
		.select(['id', 'email', 'password_hash', 'role'])
		.where('id', '=', input.userId)
		.executeTakeFirstOrThrow();
	if (input.limiters) {
		const limited = await input.limiters.take('loginEmail', user.email.toLowerCase());
		if (!limited.ok) return { ...limited, reason: 'throttled' };
	}
	if (!(await verifyPassword(user.password_hash, input.current)))
		throw new DomainError('That is not your current password.', 'current');
	const hash = await hashPassword(input.password);
	await db.transaction().execute(async (tx) => {
		await tx
			.updateTable('staff_users')
			.set({ password_hash: hash })
			.where('id', '=', user.id)
			.execute();
		let others = tx.deleteFrom('sessions').where('staff_user_id', '=', user.id);
		if (input.keepSession) others = others.where('id', '!=', input.keepSession);
		await others.execute();
		const actor = { kind: 'staff' as const, id: user.id };
		const data = { staffUserId: user.id };
		await audit.record(tx, { ticketId: null, actor, action: 'staff.password_changed', data }, now);
	});
	return { ok: true };
}
