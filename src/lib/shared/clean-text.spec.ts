import { describe, expect, it } from 'vitest';
import { cleanLine, cleanOptionalLine, cleanText } from './clean-text';

describe('cleanText', () => {
	it('removes NUL, other C0 controls and lone surrogates; keeps tabs, newlines and emoji', () => {
		expect(cleanText('a\u0000b\u0007c\u001bd\u000be')).toBe('abcde');
		expect(cleanText('line 1\r\nline 2\rline 3\n\tindented')).toBe(
			'line 1\nline 2\nline 3\n\tindented'
		);
		expect(cleanText('x\ud800y\udc00z')).toBe('xyz');
		expect(cleanText('end\ud83d')).toBe('end');
		expect(cleanText('ok 😀 ü')).toBe('ok 😀 ü');
	});

	it('makes one line of titles and names', () => {
		expect(cleanLine(' Subject\r\nBcc: x@example.com\u0000 ')).toBe('Subject Bcc: x@example.com');
		expect(cleanLine('a\tb')).toBe('a b');
		expect(cleanOptionalLine('\u0000\u0001')).toBeNull();
		expect(cleanOptionalLine(null)).toBeNull();
	});
});
