import { describe, expect, it } from 'vitest';
import { openDatabase } from './index';
import { isHealthy } from './health';

describe('isHealthy', () => {
	it('is true for an open database and false, not a throw, once it is closed', async () => {
		const database = openDatabase(':memory:');
		expect(await isHealthy(database.db)).toBe(true);
		await database.close();
		expect(await isHealthy(database.db)).toBe(false);
	});
});
