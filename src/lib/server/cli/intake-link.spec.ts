import { describe, expect, it } from 'vitest';
import * as customers from '$lib/server/customers';
import { makeProject } from '$lib/server/test/factories';
import { testDb } from '$lib/server/test/test-db';
import { createIntakeUrl, parseIntakeArgs } from './intake-link';

const { db } = testDb();

describe('intake-link command', () => {
	it('parses its arguments and explains mistakes', () => {
		expect(parseIntakeArgs(['--project', 'demo', '--customer', 'Acme Corp'])).toEqual({
			project: 'demo',
			customer: 'Acme Corp',
			days: 30
		});
		expect(parseIntakeArgs(['--project=demo', '--customer=Acme', '--days', '7'])).toEqual({
			project: 'demo',
			customer: 'Acme',
			days: 7
		});
		expect(parseIntakeArgs(['--project', 'demo'])).toMatch(/required/);
		expect(parseIntakeArgs(['--project', 'demo', '--customer', 'A', '--days', '0'])).toMatch(
			/--days/
		);
		expect(parseIntakeArgs(['--bogus'])).toMatch(/Unknown argument/);
	});

	it('creates the customer once, builds the URL from the origin and stores only the hash', async () => {
		const project = await makeProject(db);
		const first = await createIntakeUrl(db, 'https://help.example.com', {
			project: project.key,
			customer: 'Globex',
			days: 7
		});
		const second = await createIntakeUrl(db, 'https://help.example.com', {
			project: project.key,
			customer: 'Globex',
			days: 7
		});
		expect(first.customerCreated).toBe(true);
		expect(second.customerCreated).toBe(false);
		const m = new RegExp(
			`^https://help\\.example\\.com/ticket/${project.key}\\?customer_token=([a-z2-7]{32})$`
		).exec(first.url);
		expect(m).not.toBeNull();
		const token = m![1];
		expect(
			JSON.stringify(await db.selectFrom('customer_intake_links').selectAll().execute())
		).not.toContain(token);
		expect((await customers.resolveIntake(db, project.id, token))?.name).toBe('Globex');
		expect(first.expiresAt - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
		await expect(
			createIntakeUrl(db, 'https://x', { project: 'nope', customer: 'A', days: 1 })
		).rejects.toThrow(/No project/);
	});
});
