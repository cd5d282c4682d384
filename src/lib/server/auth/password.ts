import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Minimum password length for staff accounts. */
export const MIN_PASSWORD = 12;

// scrypt with N=2^16, r=8, p=1: 64 MiB and ~100 ms per hash on a small server.
const PARAMS = { N: 65536, r: 8, p: 1 };
const KEYLEN = 32;

function derive(
	password: string,
	salt: Buffer,
	o: { N: number; r: number; p: number }
): Promise<Buffer> {
	const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r };
	return new Promise((resolve, reject) =>
		scrypt(password.normalize('NFKC'), salt, KEYLEN, options, (err, key) =>
			err ? reject(err) : resolve(key)
		)
	);
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64), parameters stored for later upgrades. */
export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await derive(password, salt, PARAMS);
	return [
		'scrypt',
		PARAMS.N,
		PARAMS.r,
		PARAMS.p,
		salt.toString('base64'),
		key.toString('base64')
	].join('$');
}

/** Checks a password against a stored hash in constant time; false for any malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
	const [scheme, n, r, p, salt, hash] = stored.split('$');
	if (scheme !== 'scrypt' || !salt || !hash) return false;
	const o = { N: Number(n), r: Number(r), p: Number(p) };
	if (![o.N, o.r, o.p].every((x) => Number.isInteger(x) && x > 0)) return false;
	const expected = Buffer.from(hash, 'base64');
	const key = await derive(password, Buffer.from(salt, 'base64'), o);
	return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of nothing, so unknown emails take as long as wrong passwords. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
	dummy ??= hashPassword('not-a-real-password-' + randomBytes(8).toString('hex'));
	return dummy;
}
