import { describe, expect, it } from 'vitest';
import type { Handle, RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { chain } from './chain';

const event = (path = '/x') => ({ url: new URL(`http://h${path}`), locals: {} }) as RequestEvent;

/** Kit's own last step: renders "<p>body</p>" through the transform it was given. */
function kit(seen: { event?: RequestEvent; options?: ResolveOptions }) {
	return async (ev: RequestEvent, options?: ResolveOptions) => {
		seen.event = ev;
		seen.options = options;
		const html = (await options?.transformPageChunk?.({ html: '<p>body</p>', done: true })) ?? '';
		return new Response(html || '<p>body</p>');
	};
}

describe('chain (the request hooks in order)', () => {
	it('runs the handles in order before and in reverse after, like sequence', async () => {
		const log: string[] = [];
		const h =
			(n: string): Handle =>
			async ({ event, resolve }) => {
				log.push(`${n} before`);
				const res = await resolve(event);
				log.push(`${n} after`);
				return res;
			};
		const res = await chain(h('a'), h('b'), h('c'))({ event: event(), resolve: kit({}) });
		expect(await res.text()).toBe('<p>body</p>');
		expect(log).toEqual(['a before', 'b before', 'c before', 'c after', 'b after', 'a after']);
	});

	it('applies the innermost transform first, sync and async alike, and passes changed events on', async () => {
		const seen: { event?: RequestEvent } = {};
		const wrap =
			(tag: string, async = false): Handle =>
			({ event, resolve }) =>
				resolve(event, {
					transformPageChunk: ({ html }) =>
						async ? Promise.resolve(`<${tag}>${html}</${tag}>`) : `<${tag}>${html}</${tag}>`
				});
		const swap: Handle = ({ event, resolve }) =>
			resolve({ ...event, url: new URL('http://h/changed') });
		const none: Handle = ({ event, resolve }) => resolve(event);
		const res = await chain(
			wrap('outer'),
			none,
			wrap('middle', true),
			swap,
			wrap('inner')
		)({ event: event(), resolve: kit(seen) });
		expect(await res.text()).toBe('<outer><middle><inner><p>body</p></inner></middle></outer>');
		expect(seen.event?.url.pathname).toBe('/changed');
	});

	it('stops where a handle answers itself, and the outer handles still see that answer', async () => {
		const seen: { event?: RequestEvent } = {};
		const refuse: Handle = () => new Response('refused', { status: 403 });
		const stamp: Handle = async ({ event, resolve }) => {
			const res = await resolve(event);
			res.headers.set('x-stamp', '1');
			return res;
		};
		const res = await chain(stamp, refuse, () => {
			throw new Error('never reached');
		})({ event: event(), resolve: kit(seen) });
		expect(res.status).toBe(403);
		expect(res.headers.get('x-stamp')).toBe('1');
		expect(seen.event).toBeUndefined();
	});

	it("keeps the outer handle's preload and header filter over an inner one's", async () => {
		const seen: { options?: ResolveOptions } = {};
		const outer: Handle = ({ event, resolve }) =>
			resolve(event, { preload: () => true, filterSerializedResponseHeaders: () => true });
		const inner: Handle = ({ event, resolve }) =>
			resolve(event, { preload: () => false, filterSerializedResponseHeaders: () => false });
		await chain(outer, inner)({ event: event(), resolve: kit(seen) });
		expect(seen.options?.preload?.({ type: 'js', path: '/a.js' })).toBe(true);
		expect(seen.options?.filterSerializedResponseHeaders?.('x', 'y')).toBe(true);
	});
});
