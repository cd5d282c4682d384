import { app } from '$lib/server/app';
import { json } from '@sveltejs/kit';
import { sql } from 'kysely';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	try {
		const row = await sql<{ ok: number }>`select 1 as ok`.execute(app().db);
		if (row.rows[0]?.ok !== 1) throw new Error('unexpected answer');
		return json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
	} catch {
		return json({ status: 'unavailable' }, { status: 503, headers: { 'cache-control': 'no-store' } });
	}
};
