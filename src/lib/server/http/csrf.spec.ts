import { describe, expect, it } from 'vitest';
import { isForbiddenFormPost, readAtMost } from './csrf';

const ORIGIN = 'https://help.example.com';
// A page elsewhere (or a mail provider, which sends no cookies) posting to the link.
const EVIL = 'https://evil.example';
const URL_ = new URL(`${ORIGIN}/ticket/unsubscribe/abc.def`);

/** A chunked body (no Content-Length) of `chunks` × 64 KB that counts how much was pulled. */
function endless(chunks: number, first?: string) {
	let pulled = 0;
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (pulled === 0 && first) controller.enqueue(new TextEncoder().encode(first));
			else if (pulled >= chunks) return controller.close();
			else controller.enqueue(new Uint8Array(64 * 1024).fill(97));
			pulled++;
		}
	});
	return { stream, pulled: () => pulled };
}

const post = (body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
	new Request(URL_, {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: EVIL, ...headers },
		duplex: 'half'
	} as RequestInit);

describe('the one-click exception of the CSRF check', () => {
	it('reads at most a few hundred bytes of a chunked body without Content-Length', async () => {
		const body = endless(800); // 50 MB if read to the end
		expect(await isForbiddenFormPost(post(body.stream), URL_, ORIGIN)).toBe(true);
		expect(body.pulled()).toBeLessThanOrEqual(4);
	});

	it('still accepts the exact one-click body, chunked or not, and nothing else', async () => {
		const oneClick = endless(0, 'List-Unsubscribe=One-Click');
		expect(await isForbiddenFormPost(post(oneClick.stream), URL_, ORIGIN)).toBe(false);
		const plain = new Request(URL_, {
			method: 'POST',
			body: 'List-Unsubscribe=One-Click',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: EVIL }
		});
		expect(await isForbiddenFormPost(plain, URL_, ORIGIN)).toBe(false);
		// The route still gets the whole body after the check.
		expect(await plain.text()).toBe('List-Unsubscribe=One-Click');
		const other = new Request(URL_, {
			method: 'POST',
			body: 'intent=resubscribe',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: EVIL }
		});
		expect(await isForbiddenFormPost(other, URL_, ORIGIN)).toBe(true);
	});

	it('readAtMost gives up past the limit', async () => {
		expect(await readAtMost(post(endless(3).stream), 100)).toBeNull();
		expect(await readAtMost(post(endless(0, 'short').stream), 100)).toBe('short');
	});
});
