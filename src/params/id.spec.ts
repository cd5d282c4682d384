import { describe, expect, it } from 'vitest';
import { match } from './id';

describe('the id param matcher', () => {
	it('takes positive integers as written in our links', () => {
		for (const ok of ['1', '42', '9007199254740991']) expect(match(ok), ok).toBe(true);
	});

	it('refuses anything else, so the page answers 404', () => {
		const bad = ['0', '-1', '01', '1.5', '1e3', ' 1', 'abc', '', '0x10', '9007199254740993'];
		for (const no of bad) expect(match(no), no).toBe(false);
	});
});
