import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** How far a request's timestamp may be from our clock (Discord's replay window). */
export const MAX_SKEW_SEC = 300;

const keys = new Map<string, KeyObject>();

/** An Ed25519 public key from the 64 hex characters the Developer Portal shows. */
export function publicKeyFromHex(hex: string): KeyObject {
	let key = keys.get(hex);
	if (!key) {
		if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('An Ed25519 public key is 64 hex characters');
		key = createPublicKey({
			key: Buffer.concat([SPKI_PREFIX, Buffer.from(hex, 'hex')]),
			format: 'der',
			type: 'spki'
		});
		keys.set(hex, key);
	}
	return key;
}

/**
 * Whether an interaction request really comes from Discord: `X-Signature-Ed25519` must be the
 * application key's signature over `X-Signature-Timestamp` + the raw body, and the timestamp
 * (Unix seconds) within five minutes of now, so a captured request cannot be replayed later.
 */
export function verifyInteraction(
	publicKeyHex: string,
	signature: string | null,
	timestamp: string | null,
	rawBody: string,
	nowMs = Date.now()
): boolean {
	if (
		!signature ||
		!timestamp ||
		!/^[0-9a-f]{128}$/i.test(signature) ||
		!/^\d{1,12}$/.test(timestamp)
	)
		return false;
	if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SEC) return false;
	try {
		return verify(
			null,
			Buffer.from(timestamp + rawBody, 'utf8'),
			publicKeyFromHex(publicKeyHex),
			Buffer.from(signature, 'hex')
		);
	} catch {
		return false;
	}
}
