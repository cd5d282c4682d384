import { Readable } from 'node:stream';
import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import { contentDisposition } from '$lib/server/attachments';
import { personSchema } from '$lib/schemas/privacy';
import type { RequestHandler } from './$types';

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
	new Response(body, {
		status,
		headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }
	});

/** Staff: a person's data export (revoked links included), streamed as a ZIP. */
export const POST: RequestHandler = async (event) => {
	requireAdmin(event);
	const parsed = personSchema.safeParse(Object.fromEntries(await event.request.formData()));
	if (!parsed.success) return text(400, 'Enter an email address like name@example.com.');
	const limit = await app().privacy.limits.take('export', {
		sessionId: event.locals.session?.id ?? null,
		clientKey: event.locals.clientKey
	});
	if (!limit.ok) {
		app().log.warn({ by: 'staff', action: 'export' }, 'privacy rate limit');
		return text(429, limit.message, { 'retry-after': String(limit.retryAfterSec) });
	}
	const result = await app().privacy.exportData(parsed.data.email, {
		includeRevoked: true,
		by: 'staff'
	});
	if (!result) return text(400, 'Enter an email address like name@example.com.');
	return new Response(Readable.toWeb(result.stream) as ReadableStream, {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': contentDisposition('attachment', result.filename),
			'cache-control': 'no-store'
		}
	});
};
