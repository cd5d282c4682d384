import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const encoder = new TextEncoder();

// The CSPRNG is drawn from in 4 KB blocks handed out in slices, each byte once (as Node does for
// randomUUID): a draw cost about 5 µs whatever its size on this VM, and a ticket's creation takes
// several ids and tokens.
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let used = 0;

/** `bytes` fresh random bytes from the CSPRNG (a copy: no caller sees another's bytes). */
export function randomBytes(bytes: number): Uint8Array {
	if (bytes > POOL_BYTES) return crypto.getRandomValues(new Uint8Array(bytes));
	if (used + bytes > pool.length) {
		pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
		used = 0;
	}
	const out = pool.slice(used, used + bytes);
	pool.fill(0, used, used + bytes);
	used += bytes;
	return out;
}

/** Random bytes as lower-case base32 (no padding). 20 bytes = 160 bits = 32 characters. */
export function randomToken(bytes = 20): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(bytes));
}

/** A random public id (80 bits): the selector half of split tokens, message/attachment ids. */
export function publicId(): string {
	return randomToken(10);
}

/** SHA-256 (hex) of a token shown once: intake, setup, session, invite tokens. */
export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(encoder.encode(token)));
}

/** Each purpose has its own HMAC: a thread link never posts by mail, a reply address never opens a page. */
export type SplitPurpose = 'thread' | 'unsubscribe' | 'reply-mail' | 'portal-sign-in';

const SELECTOR = /^[a-z2-7]{16}$/;
const VERIFIER = /^[a-z2-7]{32}$/;

// Node's HMAC (OpenSSL): every link check computes one, ~3 instead of ~12 µs in pure JavaScript.
function verifier(secret: Uint8Array, purpose: SplitPurpose, selector: string, version: number) {
	const mac = createHmac('sha256', secret).update(`${purpose}|${selector}|${version}`).digest();
	return new Uint8Array(mac.buffer, mac.byteOffset, 20);
}

/**
 * Builds a split token `selector.verifier` for a recipient: the selector is the recipient's
 * stored public id, the verifier an HMAC over (purpose, selector, version) that is never stored,
 * so links can be rebuilt at send time. Bumping the version re-issues the link.
 */
export function splitToken(
	secret: Uint8Array,
	purpose: SplitPurpose,
	selector: string,
	version: number
): string {
	return `${selector}.${encodeBase32LowerCaseNoPadding(verifier(secret, purpose, selector, version))}`;
}

/** The selector of a well-formed split token, else null. Says nothing about validity. */
export function selectorOf(token: string): string | null {
	const [selector, check, ...rest] = token.split('.');
	if (rest.length || !SELECTOR.test(selector ?? '') || !VERIFIER.test(check ?? '')) return null;
	return selector;
}

/** Constant-time check of a split token against the selector's current version. */
export function verifySplitToken(
	secret: Uint8Array,
	purpose: SplitPurpose,
	token: string,
	version: number
): boolean {
	const selector = selectorOf(token);
	if (!selector) return false;
	const expected = Buffer.from(splitToken(secret, purpose, selector, version));
	const given = Buffer.from(token);
	return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * The HMAC secret: `SECRET_KEY`, else `DATA_DIR/secret.key`, created (mode 0600) on first start.
 */
export function loadSecret(secretKey: string | null, dataDir: string): Uint8Array {
	if (secretKey) return encoder.encode(secretKey);
	const file = join(dataDir, 'secret.key');
	if (!existsSync(file)) {
		mkdirSync(dataDir, { recursive: true });
		writeFileSync(file, randomToken(32) + '\n', { mode: 0o600, flag: 'wx' });
	}
	chmodSync(file, 0o600);
	return encoder.encode(readFileSync(file, 'utf8').trim());
}
