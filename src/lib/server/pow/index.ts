import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import {
	createChallenge,
	randomInt,
	verifySolution,
	type Challenge,
	type Solution
} from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Conn } from '$lib/server/db';
import type { PowMode } from '$lib/server/db/schema';
import { createLimiters, type LimitBackend } from '$lib/server/rate-limit';

/**
 * Proof-of-work on the public create form (ALTCHA v2, SHA-256): a client that opened more than
 * `after` tickets in the last hour, or anyone on a project set to "always", must send a solved
 * challenge. Challenges are signed with a key derived from the portal secret, expire, and are
 * single-use (spent signatures are kept in `pow_spent` until they expire, so every instance on the
 * database refuses a replay). Difficulty (how many counter values the browser may have to try)
 * doubles with every ticket above the threshold, from `minNumber` up to `maxNumber`.
 */

export interface PowConfig {
	/** Tickets per client and hour before a challenge is asked; 0 = only "always" projects. */
	after: number;
	minNumber: number;
	maxNumber: number;
	expireSec: number;
}

/** A signed challenge as the browser gets it (ALTCHA v2). */
export type PowChallenge = Challenge;

export type Requirement = { required: false } | { required: true; maxNumber: number };

export type VerifyOutcome =
	{ ok: true } | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'replayed' | 'too_easy' };

/** The field the create form posts the solved challenge in. */
export const POW_FIELD = 'pow';

const WINDOW_SEC = 3600;
const ALGORITHM = 'SHA-256';

export function createPow(deps: { config: PowConfig; secret: Uint8Array; store?: LimitBackend }) {
	const { config } = deps;
	// Its own key, derived from the portal secret: a challenge signature is never a link token.
	const key = encodeHexLowerCase(
		hmac(SHA256, deps.secret, new TextEncoder().encode('altcha-pow|v1'))
	);
	// Created tickets per client in the last hour, in the shared limit store (Redis/PostgreSQL/…).
	const counter = createLimiters(
		{ 'pow-client': { points: Number.MAX_SAFE_INTEGER, durationSec: WINDOW_SEC } },
		deps.store
	);

	/** The difficulty a client must solve now, given its recent tickets and the project's mode. */
	function difficulty(created: number, mode: PowMode): Requirement {
		if (mode === 'off') return { required: false };
		const over = config.after > 0 && created >= config.after;
		if (!over && mode !== 'always') return { required: false };
		const excess = over ? Math.min(created - config.after, 30) : 0;
		return {
			required: true,
			maxNumber: Math.min(config.maxNumber, config.minNumber * 2 ** excess)
		};
	}

	return {
		difficulty,

		/** Whether this client must solve a challenge on a project with `mode`, and how hard. */
		async requirement(clientKey: string, mode: PowMode): Promise<Requirement> {
			if (mode === 'off') return { required: false };
			// Without a threshold the client's volume decides nothing: no counter read.
			if (config.after <= 0) return difficulty(0, mode);
			return difficulty(await counter.count('pow-client', clientKey), mode);
		},

		/** Counts a ticket the client opened (after it was created). */
		async recordCreated(clientKey: string): Promise<void> {
			if (config.after <= 0) return; // nothing reads the count
			await counter.take('pow-client', clientKey);
		},

		/** A new signed challenge: the secret counter is random below `maxNumber`. */
		async challenge(maxNumber: number, now = Date.now()): Promise<PowChallenge> {
			return createChallenge({
				algorithm: ALGORITHM,
				cost: 1,
				counter: randomInt(maxNumber, 0),
				deriveKey,
				expiresAt: Math.floor(now / 1000) + config.expireSec,
				hmacSignatureSecret: key,
				data: { n: maxNumber }
			});
		},

		/**
		 * Checks a posted solution (`payload`: base64 JSON of `{ challenge, solution }`) and spends
		 * it. A solution of a challenge easier than `needed` is refused (difficulty grew meanwhile).
		 */
		async verify(
			db: Conn,
			payload: string | null,
			needed: number,
			now = Date.now()
		): Promise<VerifyOutcome> {
			if (!payload) return { ok: false, reason: 'missing' };
			const parsed = parse(payload);
			if (!parsed) return { ok: false, reason: 'invalid' };
			let result;
			try {
				result = await verifySolution({
					challenge: parsed.challenge,
					solution: parsed.solution,
					deriveKey,
					hmacSignatureSecret: key
				});
			} catch {
				return { ok: false, reason: 'invalid' };
			}
			if (result.expired) return { ok: false, reason: 'expired' };
			if (!result.verified) return { ok: false, reason: 'invalid' };
			const signature = String(parsed.challenge.signature);
			const used = await db
				.selectFrom('pow_spent')
				.select('signature')
				.where('signature', '=', signature)
				.executeTakeFirst();
			if (used) return { ok: false, reason: 'replayed' };
			const n = Number((parsed.challenge.parameters.data as { n?: unknown } | undefined)?.n);
			if (!(n >= needed)) return { ok: false, reason: 'too_easy' };
			const expiresAt = Number(parsed.challenge.parameters.expiresAt) * 1000;
			await db.deleteFrom('pow_spent').where('expires_at', '<', now).execute();
			const spent = await db
				.insertInto('pow_spent')
				.values({ signature, expires_at: expiresAt })
				.onConflict((oc) => oc.column('signature').doNothing())
				.returning('signature')
				.executeTakeFirst();
			return spent ? { ok: true } : { ok: false, reason: 'replayed' };
		}
	};
}

export type Pow = ReturnType<typeof createPow>;

function parse(payload: string): { challenge: PowChallenge; solution: Solution } | null {
	if (payload.length > 4096) return null;
	try {
		const value = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
		const c = value?.challenge;
		const s = value?.solution;
		if (typeof c?.signature !== 'string' || typeof c?.parameters !== 'object' || !c.parameters)
			return null;
		if (typeof s?.counter !== 'number' || typeof s?.derivedKey !== 'string') return null;
		return { challenge: c, solution: s };
	} catch {
		return null;
	}
}

/** Encodes a solved challenge the way the browser posts it (tests, scripts). */
export function encodePayload(challenge: PowChallenge, solution: unknown): string {
	return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}
