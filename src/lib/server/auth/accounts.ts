import { DomainError } from '$lib/server/errors';
import * as audit from '$lib/server/audit';
import type { Conn, Db } from '$lib/server/db';
import type { StaffUser } from '$lib/server/db/schema';
import { hashToken, randomToken } from '$lib/server/tokens';
import { cleanLine } from '$lib/shared/clean-text';
import { hashPassword } from './password';

const HOUR = 3_600_000;
/** A first-run setup link works for one hour. */
export const SETUP_TTL = HOUR;
/** An invitation works for seven days. */
export const INVITE_TTL = 7 * 24 * HOUR;

export type Role = 'admin' | 'agent';

/** Whether any staff account exists (no account = first run). */
export async function hasStaff(db: Conn): Promise<boolean> {
	return !!(await db.selectFrom('staff_users').select('id').limit(1).executeTakeFirst());
}

/**
 * Creates a one-time link token: `setup` makes an admin (first run, or the CLI), `invite` the
 * invited role. Returns the token, shown once; only its SHA-256 is stored.
 */
export async function createSetupToken(
	db: Conn,
	input: {
		purpose: 'setup' | 'invite';
		role?: Role;
		email?: string | null;
		createdBy?: number | null;
	},
	now = Date.now()
): Promise<{ token: string; expiresAt: number }> {
	const token = randomToken();
	const expiresAt = now + (input.purpose === 'setup' ? SETUP_TTL : INVITE_TTL);
	await db
		.insertInto('setup_tokens')
		.values({
			token_hash: hashToken(token),
			purpose: input.purpose,
			role: input.purpose === 'setup' ? 'admin' : (input.role ?? 'agent'),
			email: input.email ?? null,
			expires_at: expiresAt,
			used_at: null,
			created_by: input.createdBy ?? null,
			created_at: now
		})
		.execute();
	return { token, expiresAt };
}

/** The unused, unexpired setup/invite row for a token, else undefined (all failures alike). */
export async function findSetupToken(db: Conn, token: string, now = Date.now()) {
	if (!/^[a-z2-7]{32}$/.test(token)) return undefined;
	const row = await db
		.selectFrom('setup_tokens')
		.selectAll()
		.where('token_hash', '=', hashToken(token))
		.executeTakeFirst();
	if (!row || row.used_at !== null || row.expires_at <= now) return undefined;
	return row;
}

/**
 * Uses a setup or invite token to create a staff account, in one transaction: the token is
 * spent exactly once. Throws DomainError on `token` for a spent token, on `email` for an email already in use.
 */
export async function createAccount(
	db: Db,
	token: string,
	input: { email: string; name: string; password: string },
	now = Date.now()
): Promise<StaffUser> {
	const passwordHash = await hashPassword(input.password);
	return db.transaction().execute(async (tx) => {
		const row = await findSetupToken(tx, token, now);
		if (!row) throw new DomainError('This link has expired or was already used.', 'token');
		const spent = await tx
			.updateTable('setup_tokens')
			.set({ used_at: now })
			.where('id', '=', row.id)
			.where('used_at', 'is', null)
			.executeTakeFirst();
		if (Number(spent.numUpdatedRows) !== 1)
			throw new DomainError('This link was already used.', 'token');
		const first = !(await hasStaff(tx));
		const taken = await tx
			.selectFrom('staff_users')
			.select('id')
			.where('email', '=', input.email)
			.executeTakeFirst();
		if (taken) throw new DomainError('An account with this email exists already.', 'email');
		const user = await tx
			.insertInto('staff_users')
			.values({
				email: input.email,
				name: cleanLine(input.name),
				password_hash: passwordHash,
				role: row.role,
				disabled_at: null,
				created_at: now
			})
			.returningAll()
			.executeTakeFirstOrThrow();
		// The first admin exists: the setup links printed at start-ups before are void. Later
		// ones come only from `setup-link`, which needs the server's shell.
		if (first) {
			await tx
				.updateTable('setup_tokens')
				.set({ expires_at: now })
				.where('purpose', '=', 'setup')
				.where('used_at', 'is', null)
				.where('expires_at', '>', now)
				.execute();
		}
		await audit.record(
			tx,
			{
				ticketId: null,
				actor: { kind: row.created_by ? 'staff' : 'system', id: row.created_by },
				action: row.purpose === 'setup' ? 'staff.setup' : 'staff.invited',
				data: { staffUserId: user.id, role: user.role }
			},
			now
		);
		return user;
	});
}

/** Staff accounts for the admin screen, without password hashes. */
export function listStaff(db: Conn) {
	return db
		.selectFrom('staff_users')
		.select(['id', 'email', 'name', 'role', 'disabled_at', 'created_at'])
		.orderBy('name')
		.execute();
}

/** Open invitations (never the token), newest first. */
export function listInvites(db: Conn, now = Date.now()) {
	return db
		.selectFrom('setup_tokens')
		.select(['id', 'role', 'email', 'expires_at', 'created_at'])
		.where('purpose', '=', 'invite')
		.where('used_at', 'is', null)
		.where('expires_at', '>', now)
		.orderBy('id', 'desc')
		.execute();
}

/** Withdraws an open invitation. */
export async function revokeInvite(db: Conn, id: number, now = Date.now()): Promise<void> {
	await db
		.updateTable('setup_tokens')
		.set({ expires_at: now })
		.where('id', '=', id)
		.where('purpose', '=', 'invite')
		.where('used_at', 'is', null)
		.execute();
}
