import { openDatabase, type OpenDb } from '$lib/server/db';
import { afterAll } from 'vitest';

/** A fixed HMAC secret for tests. */
export const TEST_SECRET = new TextEncoder().encode('test-secret-test-secret-test-secret!');

/**
 * A fresh, migrated in-memory database for one test file, closed after the file's tests.
 * Call at the top level of a spec (or in beforeAll).
 */
export function testDb(): OpenDb {
	const database = openDatabase(':memory:');
	afterAll(() => database.close());
	return database;
}
