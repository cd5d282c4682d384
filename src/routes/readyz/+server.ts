import { isReady } from '$lib/server/app';
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Readiness for a load balancer: 503 while the instance starts (migrating) or drains. */
export const GET: RequestHandler = () => {
	const ready = isReady();
	return json({ ready }, { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
