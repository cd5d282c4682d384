import { app } from '$lib/server/app';
import { isHealthy } from '$lib/server/db/health';
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	// app() itself throws when start-up failed: that is "unavailable" too.
	const ok = await Promise.resolve()
		.then(() => isHealthy(app().db))
		.catch(() => false);
	const headers = { 'cache-control': 'no-store' };
	if (ok) return json({ status: 'ok' }, { headers });
	return json({ status: 'unavailable' }, { status: 503, headers });
};
