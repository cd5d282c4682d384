import { app } from '$lib/server/app';
import { json } from '@sveltejs/kit';
import { sql } from 'kysely';
import type { RequestHandler } from './$types';

/** Answers within this long, or counts the check as failed (a hung store is not a healthy one). */
const CHECK_MS = 3000;

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise((_, reject) => (timer = setTimeout(reject, CHECK_MS)));
	try {
		await Promise.race([check(), timeout]);
		return 'ok';
	} catch {
		return 'unavailable';
	} finally {
		clearTimeout(timer);
	}
}

/** Liveness: the database answers and the attachment storage is reachable. */
export const GET: RequestHandler = async () => {
	const [database, storage] = await Promise.all([
		probe(async () => {
			const row = await sql<{ ok: number }>`select 1 as ok`.execute(app().db);
			if (Number(row.rows[0]?.ok) !== 1) throw new Error('unexpected answer');
		}),
		probe(() => app().uploads.storage.check())
	]);
	const ok = database === 'ok' && storage === 'ok';
	return json(
		{ status: ok ? 'ok' : 'unavailable', database, storage },
		{ status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
