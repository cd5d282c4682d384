import { describe, expect, it } from 'vitest';
import { FrontMatterError, parseFrontMatter } from './frontmatter';

describe('parseFrontMatter', () => {
	it('reads title, summary, topic, order and public, and returns the body after the fence', () => {
		const { data, body } = parseFrontMatter(
			'---\ntitle: Attaching files\nsummary: "Screenshots: how and why"\ntopic: Getting started\norder: 3\npublic: true\n---\n\n# Hello\n'
		);
		expect(data).toEqual({
			title: 'Attaching files',
			summary: 'Screenshots: how and why',
			topic: 'Getting started',
			order: 3,
			public: true
		});
		expect(body).toBe('\n# Hello\n');
	});

	it('applies defaults: not public unless it says so, topic General, order 100', () => {
		const { data } = parseFrontMatter('---\ntitle: Draft\n---\nText');
		expect(data).toEqual({
			title: 'Draft',
			summary: '',
			topic: 'General',
			order: 100,
			public: false
		});
	});

	it('accepts a byte-order mark and Windows line endings', () => {
		const { data, body } = parseFrontMatter(
			'\uFEFF---\r\ntitle: Win\r\npublic: true\r\n---\r\nBody\r\n'
		);
		expect(data.title).toBe('Win');
		expect(data.public).toBe(true);
		expect(body).toBe('Body\r\n');
	});

	it('does not take a later --- line (a Markdown rule) as the end of the front matter', () => {
		const { body } = parseFrontMatter('---\ntitle: T\n---\nAbove\n\n---\n\nBelow');
		expect(body).toBe('Above\n\n---\n\nBelow');
	});

	it.each([
		['no front matter', '# Just markdown', /missing front matter/],
		['no title', '---\nsummary: x\n---\n', /"title"/],
		['empty title', '---\ntitle: "  "\n---\n', /title is required/],
		['bad YAML', '---\ntitle: [unclosed\n---\n', /not valid YAML/],
		['a list, not a mapping', '---\n- a\n- b\n---\n', /key: value/],
		['public as a word', '---\ntitle: T\npublic: yes\n---\n', /"public"/],
		['order as text', '---\ntitle: T\norder: first\n---\n', /"order"/]
	])('rejects %s with a message naming the problem', (_, source, message) => {
		expect(() => parseFrontMatter(source)).toThrow(FrontMatterError);
		expect(() => parseFrontMatter(source)).toThrow(message);
	});
});
