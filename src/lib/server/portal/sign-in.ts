import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { m } from '$lib/paraglide/messages.js';
import type { Locale } from '$lib/paraglide/runtime.js';
import type { Conn, Db } from '$lib/server/db';
import { afterCommit, transaction } from '$lib/server/db/transaction';
import { wake } from '$lib/server/notifications/outbox';
import { createLimiters, retryIn, type LimitBackend } from '$lib/server/rate-limit';
import { hashToken, publicId, selectorOf, splitToken } from '$lib/server/tokens';
import { createPortalSession } from './session';

/** A mailed sign-in link and code are valid this long, and once. */
export const SIGN_IN_TTL = 15 * 60_000;
/** Wrong codes before the code of a mail is locked (a new mail is then needed). */
export const CODE_TRIES = 5;
/** The outbox kind of sign-in mail. */
export const SIGN_IN_MAIL = 'portal_sign_in';

const encoder = new TextEncoder();

export interface SignInLimitsConfig {
	signInPerEmail: number;
	signInPerClient: number;
	signInWindowSec: number;
}

/** Mailed sign-ins per address and per client in a window (in the app's shared limit store). */
export function signInLimiters(c: SignInLimitsConfig, store?: LimitBackend) {
	return createLimiters(
		{
			portalSignInEmail: { points: c.signInPerEmail, durationSec: c.signInWindowSec },
			portalSignInClient: { points: c.signInPerClient, durationSec: c.signInWindowSec }
		},
		store
	);
}
export type SignInLimiters = ReturnType<typeof signInLimiters>;

/** Lower-case, trimmed: the one form of an address the portal compares. */
export function normalEmail(email: string): string {
	return email.trim().toLowerCase();
}

/** The link token of a sign-in: a split token over its public id, rebuilt at send time. */
export function signInToken(secret: Uint8Array, signInId: string): string {
	return splitToken(secret, 'portal-sign-in', signInId, 1);
}

/** The 6-digit code of a sign-in, derived like the link so the outbox never stores it. */
export function signInCode(secret: Uint8Array, signInId: string): string {
	const mac = hmac(SHA256, secret, encoder.encode(`portal-code|${signInId}`));
	const n = ((mac[0] << 24) | (mac[1] << 16) | (mac[2] << 8) | mac[3]) >>> 0;
	return String(n % 1_000_000).padStart(6, '0');
}

function codeHash(signInId: string, code: string): string {
	return hashToken(`${signInId}|${code}`);
}

export type StartResult =
	{ ok: true; signInId: string } | { ok: false; retryAfterSec: number; message: string };

/**
 * Starts a mailed sign-in for an address. The same work happens whether or not the address is
 * on any ticket: a sign-in row and a queued mail are written either way, and the mail worker
 * decides after the response whether there is anyone to mail (see `composeSignIn`), so neither
 * the answer nor its timing tells whether the address has tickets.
 */
export async function startSignIn(
	db: Db,
	secret: Uint8Array,
	limiters: SignInLimiters,
	/** `locale`: the language of the page that asked, the mail's language. */
	input: { email: string; clientKey: string; locale?: Locale },
	now = Date.now()
): Promise<StartResult> {
	const email = normalEmail(input.email);
	// The counters hold a hash, never the address.
	const outcome = await limiters.takeAll([
		['portalSignInClient', input.clientKey],
		['portalSignInEmail', hashToken(email).slice(0, 32)]
	]);
	if (!outcome.ok) {
		const why =
			outcome.name === 'portalSignInEmail' ? m.limit_signin_email() : m.limit_signin_client();
		return {
			ok: false,
			retryAfterSec: outcome.retryAfterSec,
			message: `${why} ${retryIn(outcome.retryAfterSec)}`
		};
	}
	const id = publicId();
	const token = signInToken(secret, id);
	await transaction(db, async (tx) => {
		// Sign-ins that ended a day ago are of no use to anyone.
		await tx
			.deleteFrom('portal_sign_ins')
			.where('expires_at', '<', now - 86_400_000)
			.execute();
		await tx
			.insertInto('portal_sign_ins')
			.values({
				public_id: id,
				token_hash: hashToken(token),
				code_hash: codeHash(id, signInCode(secret, id)),
				email,
				expires_at: now + SIGN_IN_TTL,
				used_at: null,
				created_at: now
			})
			.execute();
		await tx
			.insertInto('outbound_emails')
			.values({
				kind: SIGN_IN_MAIL,
				ticket_id: null,
				recipient_id: null,
				payload: JSON.stringify({ signIn: id, locale: input.locale }),
				next_attempt_at: now,
				created_at: now
			})
			.execute();
		afterCommit(tx, wake);
	});
	return { ok: true, signInId: id };
}

/** The sign-in a link names if it can still be used (unused, unexpired), else undefined. */
export async function findUsableLink(db: Conn, token: string, now = Date.now()) {
	if (!selectorOf(token)) return undefined;
	const row = await db
		.selectFrom('portal_sign_ins')
		.select(['id', 'email', 'expires_at', 'used_at'])
		.where('token_hash', '=', hashToken(token))
		.executeTakeFirst();
	if (!row || row.used_at !== null || row.expires_at <= now) return undefined;
	return row;
}

/**
 * The address a spent or expired link was for (for "Send a new link"), if the link was ever
 * real. Holding the link proves the mail arrived there, so showing the address adds nothing.
 */
export async function emailOfLink(db: Conn, token: string): Promise<string | null> {
	if (!selectorOf(token)) return null;
	const row = await db
		.selectFrom('portal_sign_ins')
		.select('email')
		.where('token_hash', '=', hashToken(token))
		.executeTakeFirst();
	return row?.email ?? null;
}

/** Marks a sign-in used, once: true for the one caller that got it. */
async function spend(db: Conn, id: number, now: number): Promise<boolean> {
	const r = await db
		.updateTable('portal_sign_ins')
		.set({ used_at: now })
		.where('id', '=', id)
		.where('used_at', 'is', null)
		.where('expires_at', '>', now)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/**
 * Signs in with a mailed link (by POST, never on the GET a mail scanner may prefetch). Returns
 * the new session's cookie token, or null for an unknown, spent or expired link.
 */
export async function redeemLink(
	db: Conn,
	token: string,
	now = Date.now()
): Promise<{ token: string; expiresAt: number } | null> {
	const row = await findUsableLink(db, token, now);
	if (!row || !(await spend(db, row.id, now))) return null;
	const { token: cookie, session } = await createPortalSession(db, { email: row.email }, now);
	return { token: cookie, expiresAt: session.expires_at };
}

export type CodeResult =
	| { ok: true; token: string; expiresAt: number }
	| { ok: false; reason: 'wrong'; triesLeft: number }
	| { ok: false; reason: 'locked' | 'expired' };

/**
 * Signs in with the 6-digit code of a sign-in (typed on the device that asked for it). Every
 * try counts; after `CODE_TRIES` wrong ones the code is locked. Unknown sign-ins look expired.
 */
export async function redeemCode(
	db: Conn,
	input: { signInId: string; code: string },
	now = Date.now()
): Promise<CodeResult> {
	const row = await db
		.selectFrom('portal_sign_ins')
		.select(['id', 'public_id', 'email', 'code_hash', 'code_tries', 'expires_at', 'used_at'])
		.where('public_id', '=', input.signInId)
		.executeTakeFirst();
	if (!row || row.used_at !== null || row.expires_at <= now)
		return { ok: false, reason: 'expired' };
	if (row.code_tries >= CODE_TRIES) return { ok: false, reason: 'locked' };
	// Count the try first (atomically, under the cap), so parallel guesses cannot exceed it.
	const counted = await db
		.updateTable('portal_sign_ins')
		.set((eb) => ({ code_tries: eb('code_tries', '+', 1) }))
		.where('id', '=', row.id)
		.where('code_tries', '<', CODE_TRIES)
		.executeTakeFirst();
	if (Number(counted.numUpdatedRows) !== 1) return { ok: false, reason: 'locked' };
	const code = input.code.replace(/\s+/g, '');
	const given = encoder.encode(/^\d{6}$/.test(code) ? codeHash(row.public_id, code) : '');
	const expected = encoder.encode(row.code_hash);
	const match = given.length === expected.length && constantTimeEqual(given, expected);
	if (!match) {
		const triesLeft = CODE_TRIES - row.code_tries - 1;
		return triesLeft > 0
			? { ok: false, reason: 'wrong', triesLeft }
			: { ok: false, reason: 'locked' };
	}
	if (!(await spend(db, row.id, now))) return { ok: false, reason: 'expired' };
	const { token, session } = await createPortalSession(db, { email: row.email }, now);
	return { ok: true, token, expiresAt: session.expires_at };
}
