import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
	hashToken,
	loadSecret,
	publicId,
	randomBytes,
	randomToken,
	selectorOf,
	splitToken,
	verifySplitToken
} from './tokens';

const secret = new TextEncoder().encode('a'.repeat(40));
const dir = mkdtempSync(join(tmpdir(), 'portal-tokens-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tokens', () => {
	it('random tokens carry at least 128 bits and differ', () => {
		const a = randomToken();
		expect(a).toMatch(/^[a-z2-7]{32}$/); // 32 base32 chars = 160 bits
		expect(randomToken()).not.toBe(a);
		expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
	});

	it('random bytes are never handed out twice, across pool refills and large requests', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 3000; i++) {
			const t = randomToken(i % 7 === 0 ? 10 : 20);
			expect(seen.has(t)).toBe(false);
			seen.add(t);
		}
		const big = randomBytes(10_000);
		expect(big).toHaveLength(10_000);
		// Not a zero-filled or repeating buffer: 10 000 random bytes hold every byte value.
		expect(new Set(big).size).toBe(256);
		const a = randomBytes(16);
		const b = randomBytes(16);
		expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
		a.fill(0); // a caller's copy: changing it changes no one else's bytes
		expect(Buffer.from(b).every((x) => x === 0)).toBe(false);
	});

	it('split tokens verify only for their purpose, selector and version', () => {
		const sel = publicId();
		const t = splitToken(secret, 'thread', sel, 1);
		expect(selectorOf(t)).toBe(sel);
		expect(verifySplitToken(secret, 'thread', t, 1)).toBe(true);
		expect(verifySplitToken(secret, 'unsubscribe', t, 1)).toBe(false);
		expect(verifySplitToken(secret, 'thread', t, 2)).toBe(false);
		expect(verifySplitToken(new TextEncoder().encode('b'.repeat(40)), 'thread', t, 1)).toBe(false);
		const other = publicId();
		expect(verifySplitToken(secret, 'thread', `${other}.${t.split('.')[1]}`, 1)).toBe(false);
	});

	it('links sent before keep working: the verifier is the same HMAC-SHA256 as ever', () => {
		const secret = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
		// Computed with the earlier pure-JavaScript HMAC; mail already sent carries such links.
		expect(splitToken(secret, 'thread', 'abcdefghijklmnop', 3)).toBe(
			'abcdefghijklmnop.fgb76qnb5b34sywuv2lccmrsaz3sokk3'
		);
		expect(splitToken(secret, 'unsubscribe', 'abcdefghijklmnop', 1)).toBe(
			'abcdefghijklmnop.sbcnrvdipj3loyz6jshohinkgoi5dsls'
		);
	});

	it('malformed tokens are refused without a lookup', () => {
		for (const bad of [
			'',
			'x',
			'abc.def',
			`${publicId()}.`,
			`${publicId()}.${'A'.repeat(32)}`,
			'../../etc/passwd'
		]) {
			expect(selectorOf(bad)).toBeNull();
			expect(verifySplitToken(secret, 'thread', bad, 1)).toBe(false);
		}
	});

	it('creates the secret file once with mode 0600 and reuses it', () => {
		const a = loadSecret(null, dir);
		const file = join(dir, 'secret.key');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
		expect(loadSecret(null, dir)).toEqual(a);
		expect(new TextDecoder().decode(loadSecret('x'.repeat(32), dir))).toBe('x'.repeat(32));
	});
});
