import { sql } from 'kysely';
import type { Conn } from './index';

/** Whether the database answers a trivial query; false on any error, never throws. */
export async function isHealthy(db: Conn): Promise<boolean> {
	try {
		const row = await sql<{ ok: number }>`select 1 as ok`.execute(db);
		return Number(row.rows[0]?.ok) === 1;
	} catch {
		return false;
	}
}
