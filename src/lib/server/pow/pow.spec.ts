import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { describe, expect, it } from 'vitest';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { createPow, encodePayload, type PowChallenge } from './index';

const { db } = testDb();
const config = { after: 3, minNumber: 1000, maxNumber: 8000, expireSec: 300 };
const pow = createPow({ config, secret: TEST_SECRET });

async function solved(challenge: PowChallenge) {
	const solution = await solveChallenge({ challenge: challenge as never, deriveKey });
	expect(solution).not.toBeNull();
	return solution!;
}

describe('pow requirement and difficulty', () => {
	it('asks nothing for the first `after` tickets of a client, then doubles up to the maximum', async () => {
		const client = `c-${Math.random()}`;
		const seen = [];
		for (let i = 0; i < 8; i++) {
			seen.push(await pow.requirement(client, 'auto'));
			await pow.recordCreated(client);
		}
		expect(seen).toEqual([
			{ required: false },
			{ required: false },
			{ required: false },
			{ required: true, maxNumber: 1000 },
			{ required: true, maxNumber: 2000 },
			{ required: true, maxNumber: 4000 },
			{ required: true, maxNumber: 8000 },
			{ required: true, maxNumber: 8000 }
		]);
		// Another client is not affected; "always" asks at once; "off" never.
		expect(await pow.requirement('someone-else', 'auto')).toEqual({ required: false });
		expect(await pow.requirement('someone-else', 'always')).toEqual({
			required: true,
			maxNumber: 1000
		});
		expect(await pow.requirement(client, 'off')).toEqual({ required: false });
	});

	it('SPAM_POW_AFTER=0 leaves auto projects alone', () => {
		const p = createPow({ config: { ...config, after: 0 }, secret: TEST_SECRET });
		expect(p.difficulty(50, 'auto')).toEqual({ required: false });
		expect(p.difficulty(50, 'always')).toEqual({ required: true, maxNumber: 1000 });
	});
});

describe('pow challenge verification', () => {
	it('accepts a solved challenge once and refuses its replay', async () => {
		const challenge = await pow.challenge(1000);
		expect(challenge.parameters.algorithm).toBe('SHA-256');
		const payload = encodePayload(challenge, await solved(challenge));
		expect(await pow.verify(db, payload, 1000)).toEqual({ ok: true });
		expect(await pow.verify(db, payload, 1000)).toEqual({ ok: false, reason: 'replayed' });
	});

	it('refuses a missing, malformed, forged or wrong solution', async () => {
		const challenge = await pow.challenge(1000);
		const solution = await solved(challenge);
		expect(await pow.verify(db, null, 1000)).toEqual({ ok: false, reason: 'missing' });
		expect(await pow.verify(db, 'not base64 json', 1000)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		// An easier challenge of one's own making: the signature does not match.
		const forged = {
			...challenge,
			parameters: { ...challenge.parameters, data: { n: 1_000_000 } }
		};
		expect(await pow.verify(db, encodePayload(forged, solution), 1000)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		// Signed with another secret.
		const other = createPow({ config, secret: new TextEncoder().encode('x'.repeat(40)) });
		const foreign = await other.challenge(1000);
		expect(await pow.verify(db, encodePayload(foreign, await solved(foreign)), 1000)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		const wrong = { ...solution, counter: solution.counter + 1 };
		expect(await pow.verify(db, encodePayload(challenge, wrong), 1000)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		// None of these spent the real one.
		expect(await pow.verify(db, encodePayload(challenge, solution), 1000)).toEqual({ ok: true });
	});

	it('refuses an expired challenge and one easier than the client now needs', async () => {
		const old = await pow.challenge(1000, Date.now() - 301_000);
		expect(await pow.verify(db, encodePayload(old, await solved(old)), 1000)).toEqual({
			ok: false,
			reason: 'expired'
		});
		const easy = await pow.challenge(1000);
		expect(await pow.verify(db, encodePayload(easy, await solved(easy)), 2000)).toEqual({
			ok: false,
			reason: 'too_easy'
		});
	});

	it('forgets spent challenges once they expired', async () => {
		const challenge = await pow.challenge(1000);
		const payload = encodePayload(challenge, await solved(challenge));
		expect(await pow.verify(db, payload, 1000)).toEqual({ ok: true });
		const later = Date.now() + 301_000;
		await pow.verify(db, 'x', 1000, later); // malformed: no sweep
		const other = await pow.challenge(1000, later);
		await pow.verify(db, encodePayload(other, await solved(other)), 1000, later);
		const left = await db
			.selectFrom('pow_spent')
			.select('signature')
			.where('signature', '=', String(challenge.signature))
			.execute();
		expect(left).toEqual([]);
	});
});

describe('pow replay after the difficulty grew', () => {
	it('says "already used" rather than "too easy" for a spent challenge', async () => {
		const challenge = await pow.challenge(1000);
		const payload = encodePayload(challenge, await solved(challenge));
		expect(await pow.verify(db, payload, 1000)).toEqual({ ok: true });
		expect(await pow.verify(db, payload, 2000)).toEqual({ ok: false, reason: 'replayed' });
	});
});
