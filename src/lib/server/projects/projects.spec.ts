import { describe, expect, it } from 'vitest';
import { makeProject } from '$lib/server/test/factories';
import { testDb } from '$lib/server/test/test-db';
import * as projects from './index';

const { db } = testDb();

describe('projects.get and projects.listNames', () => {
	it('find a project by id, and list every project by name with only its id, key and name', async () => {
		const zeta = await makeProject(db, { name: 'Zeta' });
		const alpha = await makeProject(db, { name: 'Alpha' });
		expect(await projects.get(db, zeta.id)).toEqual(zeta);
		expect(await projects.get(db, zeta.id + alpha.id + 1000)).toBeUndefined();
		expect(await projects.listNames(db)).toEqual([
			{ id: alpha.id, key: alpha.key, name: 'Alpha' },
			{ id: zeta.id, key: zeta.key, name: 'Zeta' }
		]);
	});
});
