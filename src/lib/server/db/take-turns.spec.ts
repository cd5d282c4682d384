import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import * as docs from '$lib/server/docs';
import { seedDemo } from '$lib/server/projects/seed';
import { testDb } from '$lib/server/test/test-db';

// Start-up work every instance runs: two at once (two pool connections on PostgreSQL) must end
// as if they had run one after the other.
const { db } = testDb();

describe('start-up work run by two instances at once', () => {
	it('seeds the demo project once', async () => {
		const seeded = await Promise.all([seedDemo(db), seedDemo(db)]);
		expect(seeded.sort()).toEqual([false, true]);
		const rows = await db.selectFrom('projects').select('key').execute();
		expect(rows).toEqual([{ key: 'demo' }]);
		expect(await db.selectFrom('templates').select('id').execute()).toHaveLength(1);
	});

	it('leaves one copy of each doc in the search index', async () => {
		const [first, second] = await Promise.all([
			docs.reindex(db, 'content/docs'),
			docs.reindex(db, 'content/docs')
		]);
		expect(first.docs).toBeGreaterThan(0);
		expect(second.docs).toBe(first.docs);
		const { rows } = await sql<{
			n: number | string;
		}>`SELECT count(*) AS n FROM doc_search`.execute(db);
		expect(Number(rows[0].n)).toBe(first.docs);
	});
});
