import { describe, expect, it } from 'vitest';
import { makeProject } from '$lib/server/test/factories';
import { testDb } from '$lib/server/test/test-db';
import * as customers from './index';

const { db } = testDb();

describe('customer intake links', () => {
	it('grant their customer in their project only, until they expire or are revoked', async () => {
		const project = await makeProject(db);
		const other = await makeProject(db);
		const acme = await customers.create(db, { name: 'Acme Corp' });
		const now = Date.now();
		const { token, id, expiresAt } = await customers.createIntakeLink(
			db,
			{ projectId: project.id, customerId: acme.id, days: 7 },
			now
		);
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		expect(
			JSON.stringify(await db.selectFrom('customer_intake_links').selectAll().execute())
		).not.toContain(token);

		expect((await customers.resolveIntake(db, project.id, token, now))?.name).toBe('Acme Corp');
		expect(await customers.resolveIntake(db, other.id, token, now)).toBeUndefined();
		expect(await customers.resolveIntake(db, project.id, token, expiresAt)).toBeUndefined();
		expect(await customers.resolveIntake(db, project.id, 'not-a-token', now)).toBeUndefined();

		await customers.revokeIntakeLink(db, id);
		expect(await customers.resolveIntake(db, project.id, token, now)).toBeUndefined();
		const [listed] = await customers.listIntakeLinks(db, acme.id);
		expect(listed.revokedAt).not.toBeNull();
		expect(JSON.stringify(listed)).not.toContain(token);
	});
});

describe('customers.get', () => {
	it('finds a customer by id and nothing for an unknown id', async () => {
		const acme = await customers.create(db, { name: 'Acme Get', email: 'it@acme.example' });
		expect(await customers.get(db, acme.id)).toEqual(acme);
		expect(await customers.get(db, acme.id + 1000)).toBeUndefined();
	});
});
