import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/app';
import * as docs from '$lib/server/docs';
import { docsDir } from '$lib/server/docs/runtime';
import { retryIn } from '$lib/server/rate-limit';
import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

function tooMany(retryAfterSec: number) {
	return json(
		{ results: [], message: m.form_too_many_requests({ retry: retryIn(retryAfterSec) }) },
		{ status: 429, headers: { 'Retry-After': String(retryAfterSec), 'Cache-Control': 'no-store' } }
	);
}

/** `GET ?q=…`: up to 5 public docs of the project for what the reporter is typing. */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	const limit = await app().limits.docs.suggest.take('suggest', locals.clientKey);
	if (!limit.ok) return tooMany(limit.retryAfterSec);
	const results = await docs.search(app().db, params.projectId, url.searchParams.get('q') ?? '');
	return json({ results }, { headers: { 'Cache-Control': 'no-store' } });
};

/** `POST {"slug": …}`: "This answered my question" — records project, doc and time only. */
export const POST: RequestHandler = async ({ params, request, locals }) => {
	// JSON only: a cross-site form cannot send it, and a cross-site script needs CORS we don't grant.
	if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/json')) {
		error(415, 'Send JSON.');
	}
	const body = (await request.json().catch(() => null)) as { slug?: unknown } | null;
	const slug = typeof body?.slug === 'string' ? body.slug : '';
	if (!docs.hasDoc(docsDir(), params.projectId, slug)) error(404, 'Not found');
	const limit = await app().limits.docs.deflect.take('deflect', locals.clientKey);
	if (!limit.ok) return tooMany(limit.retryAfterSec);
	await docs.recordDeflection(app().db, { projectKey: params.projectId, slug });
	return new Response(null, { status: 204 });
};
