import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { bodyText, htmlToText, replyText } from './text';

const TO = 'reply+aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb@support.example.com';

/** A sample from test/fixtures/mail, addressed to a reply address, parsed as the pipeline does. */
export async function sample(name: string, id = 'x1') {
	const raw = readFileSync(resolve('test/fixtures/mail', name), 'utf8')
		.replaceAll('{{TO}}', TO)
		.replaceAll('{{ID}}', id)
		.replace(/\r?\n/g, '\r\n');
	return PostalMime.parse(raw);
}

describe('replyText on real clients’ replies', () => {
	it('Gmail: keeps the new text, drops the attribution line and the > history', async () => {
		const text = replyText(await sample('gmail-reply.eml'));
		expect(text).toBe(
			'Thanks, restarting the spooler fixed it for now. It still shows "offline" after a reboot though.\n\nAlice'
		);
	});

	it('Outlook: drops the underscore rule and the From:/Sent: block with everything after it', async () => {
		const text = replyText(await sample('outlook-reply.eml'));
		expect(text).toContain('The second printer on floor 3 has the same problem.');
		expect(text).not.toMatch(/From:|Sent:|Reply to this email|answered on/);
	});

	it('Apple Mail (iPhone): drops "Sent from my iPhone" and the quoted attribution', async () => {
		const text = replyText(await sample('apple-mail-reply.eml'));
		expect(text).toBe('Same here, the queue is stuck again since this morning.');
	});

	it('Thunderbird: drops the "-- " signature and the quote below it', async () => {
		const text = replyText(await sample('thunderbird-reply.eml'));
		expect(text).toBe('I updated the driver to 2.4.1 and the printer shows up again.');
	});

	it('HTML-only mail: converted to text, blockquote history and scripts gone, entities decoded', async () => {
		const text = replyText(await sample('html-only-reply.eml'));
		expect(text).toBe('It works again & prints fine.');
	});

	it('Apple Mail HTML-only: "Sent from my iPad" and the cite blockquote dropped', async () => {
		const text = replyText(await sample('apple-mail-html-only.eml'));
		expect(text).toBe('Found it: the printer had a static IP that clashed with the new laptop.');
	});

	it('Outlook HTML part alone gives the same text as its plain part', async () => {
		const mail = await sample('outlook-reply.eml');
		const fromHtml = replyText({ html: mail.html });
		expect(fromHtml).toContain('The second printer on floor 3 has the same problem.');
		expect(fromHtml).not.toMatch(/From:|Sent:|answered on/);
	});
});

describe('htmlToText and bodyText', () => {
	it('never lets a tag through and quotes blockquotes by depth', () => {
		expect(
			htmlToText(
				'<p>a<img src=x onerror=alert(1)>b</p><blockquote>q<blockquote>qq</blockquote></blockquote>'
			)
		).toBe('ab\n\n> q\n> > qq');
	});

	it('bodyText keeps a new mail’s text and removes only the signature; control characters cleaned', () => {
		expect(bodyText({ text: 'Line one\r\n> quoted on purpose\u0007\r\n-- \r\nSig' })).toBe(
			'Line one\n> quoted on purpose'
		);
	});

	it('hostile input stays fast: unclosed tags and comments, very long lines', () => {
		const started = Date.now();
		htmlToText('<style>'.repeat(80_000));
		htmlToText('<!--'.repeat(120_000));
		htmlToText('<div class="'.repeat(40_000));
		htmlToText('<p' + ' '.repeat(500_000));
		const long = replyText({ text: 'On ' + 'x '.repeat(50_000) });
		expect(long.length).toBeGreaterThan(30_000);
		expect(Date.now() - started).toBeLessThan(3000);
	});
});
