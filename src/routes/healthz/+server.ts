import { app } from '$lib/server/app';
import { isHealthy } from '$lib/server/db/health';
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Answers within this long, or counts the check as failed (a hung store is not a healthy one). */
const CHECK_MS = 3000;

async function probe(check: () => Promise<boolean>): Promise<'ok' | 'unavailable'> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, CHECK_MS, false)));
	try {
		// app() itself throws when start-up failed: that is "unavailable" too.
		return (await Promise.race([Promise.resolve().then(check), timeout])) ? 'ok' : 'unavailable';
	} catch {
		return 'unavailable';
	} finally {
		clearTimeout(timer);
	}
}

/** Liveness: the database answers and the attachment storage is reachable. */
export const GET: RequestHandler = async () => {
	const [database, storage] = await Promise.all([
		probe(() => isHealthy(app().db)),
		probe(() =>
			app()
				.uploads.storage.check()
				.then(() => true)
		)
	]);
	const ok = database === 'ok' && storage === 'ok';
	return json(
		{ status: ok ? 'ok' : 'unavailable', database, storage },
		{ status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
