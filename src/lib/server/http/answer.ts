/**
 * A refusal of a client's request, shaped for who asked: an enhanced form (Kit's `enhance`,
 * which sends `x-sveltekit-action`) gets an action result it can show, a browser a small page,
 * anything else plain text. The sentence says what to do; no stack, no internals.
 */
export function clientError(
	request: Request,
	status: number,
	title: string,
	message: string,
	/** The language of both strings (the page's `lang`). */
	lang = 'en'
): Response {
	const accept = request.headers.get('accept') ?? '';
	if (
		request.headers.get('x-sveltekit-action') === 'true' ||
		(accept.includes('application/json') && !accept.includes('text/html'))
	) {
		return new Response(JSON.stringify({ type: 'error', status, error: { message } }), {
			status,
			headers: { 'content-type': 'application/json' }
		});
	}
	if (accept.includes('text/html'))
		return new Response(page(title, message, '', lang), {
			status,
			headers: { 'content-type': 'text/html; charset=utf-8' }
		});
	return new Response(message, {
		status,
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
}

/** A minimal page for a refusal; both strings are ours, never request data. */
export function page(title: string, message: string, extra = '', lang = 'en'): string {
	return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5"><h1>${title}</h1><p>${message}</p>${extra}</body></html>`;
}
