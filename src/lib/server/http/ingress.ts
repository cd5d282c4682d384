import { m } from '$lib/paraglide/messages.js';
import { extractLocaleFromRequest, type Locale } from '$lib/paraglide/runtime.js';
import { formatBytes } from '$lib/shared/attachment-limits';
import type { Handle } from '@sveltejs/kit';
import { page } from './answer';
import { bodyBytesRead } from './gc-nudge';

/** Room for the text fields and multipart framing on top of the files' own limit. */
export const FORM_OVERHEAD_BYTES = 256 * 1024;
const PUBLIC = /^\/ticket\//;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** The sentence a refused body gets, in `locale`. */
export function tooLargeMessage(maxBytes: number, locale: Locale = 'en'): string {
	return m.form_ingress_too_large({ max: formatBytes(maxBytes, locale) }, { locale });
}

/**
 * This hook runs before the locale hook (so no body is buffered twice): the language comes
 * straight from the request by the same rule (cookie > Accept-Language > English).
 */
const localeOf = (request: Request) => extractLocaleFromRequest(request);

/**
 * Ingress limit for public pages (`/ticket/…`): a body larger than the public upload limit is
 * refused with 413 before any route sees it — at once when Content-Length says so, else (a
 * chunked body) by counting the bytes as they stream in, buffered. Staff routes are held only
 * to Kit's BODY_SIZE_LIMIT (the staff maximum). The refused body is still read and dropped, so
 * the browser gets to see the answer instead of a reset connection.
 */
export function ingressLimit(maxBytes: () => number): Handle {
	return async ({ event, resolve }) => {
		const { request } = event;
		if (!WITH_BODY.has(request.method) || !PUBLIC.test(event.url.pathname) || !request.body) {
			// Staff uploads are parsed by Kit itself: count what they declare.
			if (request.body) bodyBytesRead(Number(request.headers.get('content-length')));
			return resolve(event);
		}
		const limit = maxBytes() + FORM_OVERHEAD_BYTES;
		const declared = Number(request.headers.get('content-length') ?? NaN);
		if (Number.isFinite(declared) && declared > limit) {
			await drain(request.body);
			return refuse(request, maxBytes());
		}
		// A declared length within the limit is all the body there is (Node's parser reads no
		// further): nothing to count, so the body streams on to its parser unbuffered.
		if (Number.isFinite(declared)) {
			bodyBytesRead(declared);
			return resolve(event);
		}
		const body = await readCapped(request.body, limit);
		if (body === 'too-large') return refuse(request, maxBytes());
		if (typeof body !== 'string') bodyBytesRead(body.byteLength);
		if (body === 'broken')
			return new Response(m.form_ingress_broken({}, { locale: localeOf(request) }), {
				status: 400,
				headers: { 'content-type': 'text/plain; charset=utf-8' }
			});
		const buffered = new Request(request.url, {
			method: request.method,
			headers: request.headers,
			body
		});
		return resolve({ ...event, request: buffered });
	};
}

/** The body, or why not: over the limit, or a connection that broke off. */
async function readCapped(
	stream: ReadableStream<Uint8Array>,
	limit: number
): Promise<Uint8Array<ArrayBuffer> | 'too-large' | 'broken'> {
	const reader = stream.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > limit) {
				reader.releaseLock();
				await drain(stream);
				return 'too-large';
			}
			chunks.push(value);
		}
	} catch (err) {
		// Kit's own cap (the staff maximum) ends the stream with a 413 of its own.
		return (err as { status?: number }).status === 413 ? 'too-large' : 'broken';
	}
	const body = new Uint8Array(size);
	let offset = 0;
	for (const c of chunks) {
		body.set(c, offset);
		offset += c.byteLength;
	}
	return body;
}

/** Reads and drops the rest of a body (bounded by Kit's BODY_SIZE_LIMIT). */
async function drain(stream: ReadableStream<Uint8Array>): Promise<void> {
	try {
		const reader = stream.getReader();
		while (!(await reader.read()).done) {
			/* dropped */
		}
	} catch {
		/* over Kit's cap or the client gave up: nothing more to read */
	}
}

/**
 * 413 with the sentence: an enhanced form (Kit's `enhance`) gets an action failure it shows in
 * the form as `form.upload`; a plain form post gets a small page; anything else plain text.
 */
function refuse(request: Request, maxBytes: number): Response {
	const locale = localeOf(request);
	const message = tooLargeMessage(maxBytes, locale);
	const accept = request.headers.get('accept') ?? '';
	if (
		request.headers.get('x-sveltekit-action') === 'true' ||
		(accept.includes('application/json') && !accept.includes('text/html'))
	) {
		// devalue's encoding of `{ upload: message }`, as Kit's `deserialize` expects.
		const data = JSON.stringify([{ upload: 1 }, message]);
		return new Response(JSON.stringify({ type: 'failure', status: 413, data }), {
			status: 413,
			headers: { 'content-type': 'application/json' }
		});
	}
	if (accept.includes('text/html')) {
		const o = { locale };
		const back = `<p>${m.form_ingress_back({}, o)}</p>`;
		const html = page(m.form_ingress_title({}, o), message, back, locale);
		return new Response(html, {
			status: 413,
			headers: { 'content-type': 'text/html; charset=utf-8' }
		});
	}
	return new Response(message, {
		status: 413,
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
}
