import { describe, expect, it } from 'vitest';
import { plainText, renderMarkdown, sanitize, slugify } from './render';

const render = (md: string) => renderMarkdown(md, { assetBase: '/doc/demo/assets' });

describe('renderMarkdown', () => {
	it('gives headings unique ids with an anchor link and lists them', () => {
		const { html, headings } = render(
			'# Top\n\n## Lost your link?\n\n### Details\n\n## Lost your link?\n'
		);
		expect(headings).toEqual([
			{ depth: 2, id: 'top', text: 'Top' },
			{ depth: 2, id: 'lost-your-link', text: 'Lost your link?' },
			{ depth: 3, id: 'details', text: 'Details' },
			{ depth: 2, id: 'lost-your-link-2', text: 'Lost your link?' }
		]);
		expect(html).toContain(
			'<h2 id="lost-your-link">Lost your link? <a class="anchor" href="#lost-your-link"'
		);
		expect(html).not.toContain('<h1');
	});

	it('keeps tables, code blocks with their language, and points relative images at the assets route', () => {
		const { html } = render(
			'| A | B |\n| :-- | --: |\n| 1 | 2 |\n\n```sh\nnpm run portal -- docs reindex\n```\n\n![Flow](assets/flow.svg "The flow")\n\n![Abs](/static.png)'
		);
		expect(html).toContain('<th align="left">A</th>');
		expect(html).toContain('<td align="right">2</td>');
		expect(html).toContain(
			'<pre><code class="language-sh">npm run portal -- docs reindex\n</code></pre>'
		);
		expect(html).toContain(
			'<img src="/doc/demo/assets/flow.svg" alt="Flow" title="The flow" loading="lazy" />'
		);
		expect(html).toContain('src="/static.png"');
	});

	it('adds rel="noopener noreferrer" to external links only', () => {
		const { html } = render('[out](https://example.com) and [in](following-your-ticket)');
		expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer">out</a>');
		expect(html).toContain('<a href="following-your-ticket">in</a>');
	});
});

describe('raw HTML in Markdown cannot run script', () => {
	const cases = [
		'<script>alert(1)</script>',
		'<img src="x.png" onerror="alert(1)">',
		'<a href="javascript:alert(1)">click</a>',
		'[click](javascript:alert(1))',
		'[click](JaVaScRiPt:alert(1))',
		'<a href="&#106;avascript:alert(1)">x</a>',
		'<div onclick="alert(1)" style="position:fixed">x</div>',
		'<iframe src="https://evil.example"></iframe>',
		'<svg><script>alert(1)</script></svg>',
		'<style>body{display:none}</style>',
		'<object data="x.swf"></object>',
		'<form action="https://evil.example"><input name="q"></form>',
		'<h2 id="x" onmouseover="alert(1)">Hi</h2>',
		'![x](javascript:alert(1))',
		'<img src="https://tracker.example/p.gif">',
		'<meta http-equiv="refresh" content="0;url=https://evil.example">',
		'<base href="https://evil.example/">'
	];
	it.each(cases.map((c) => [c]))('%s', (md) => {
		const { html } = render(`Text before\n\n${md}\n\nText after`);
		expect(html).not.toMatch(/<script|<iframe|<object|<form|<input|<style|<svg|<meta|<base/i);
		expect(html).not.toMatch(/\son[a-z]+\s*=/i);
		expect(html).not.toMatch(/javascript:/i);
		expect(html).not.toContain('evil.example');
		expect(html).not.toContain('tracker.example');
		expect(html).not.toContain('style=');
		expect(html).toContain('Text after');
	});

	it('sanitize() keeps harmless markup', () => {
		expect(sanitize('<p>A <strong>b</strong> <code>c</code> <kbd>Ctrl</kbd></p>')).toBe(
			'<p>A <strong>b</strong> <code>c</code> <kbd>Ctrl</kbd></p>'
		);
	});
});

describe('plainText and slugify', () => {
	it('drops markup and raw HTML but keeps words from tables, lists and code', () => {
		const text = plainText(
			'## Title\n\nSome **bold** and [a link](x).\n\n- one\n- two\n\n| A | B |\n| - | - |\n| cell | more |\n\n`code` <b>html</b>'
		);
		expect(text).toBe('Title\nSome bold and a link.\none\ntwo\nA B cell more\ncode html');
	});

	it('makes URL-safe ids', () => {
		expect(slugify('Attaching files & screenshots!')).toBe('attaching-files-screenshots');
		expect(slugify('Über Größe')).toBe('uber-große');
		expect(slugify('???')).toBe('section');
	});
});
