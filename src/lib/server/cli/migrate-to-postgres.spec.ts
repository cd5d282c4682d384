import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as customers from '$lib/server/customers';
import { openDatabase } from '$lib/server/db';
import { openPostgres } from '$lib/server/db/postgres';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { TEST_DIALECT, TEST_SECRET } from '$lib/server/test/test-db';
import * as threads from '$lib/server/threads';
import { splitToken } from '$lib/server/tokens';
import { migrateToPostgres } from './migrate-to-postgres';

// Runs in vitest's postgres project only (TEST_DATABASE_URL set).
const url = process.env.TEST_DATABASE_URL ?? '';
const dir = mkdtempSync(join(tmpdir(), 'portal-to-pg-'));
const schema = `pgwt_copy_${randomBytes(6).toString('hex')}`;
afterAll(async () => {
	rmSync(dir, { recursive: true, force: true });
	const target = await openPostgres(url, { schema, migrate: false });
	await target.db.schema.dropSchema(schema).ifExists().cascade().execute();
	await target.close();
});

describe.runIf(TEST_DIALECT === 'postgres')('migrate-to-postgres', () => {
	it('copies every table with its ids into an empty database, and refuses a non-empty one', async () => {
		const file = join(dir, 'portal.db');
		const source = openDatabase(file);
		const project = await makeProject(source.db);
		await makeTicket(source.db, { projectId: project.id, title: 'Deleted later' });
		const { ticket, reporter } = await makeTicket(source.db, { projectId: project.id });
		await source.db.deleteFrom('tickets').where('title', '=', 'Deleted later').execute();
		await source.db
			.updateTable('projects')
			.set({ default_ticket_type_id: 2 })
			.where('id', '=', project.id)
			.execute();
		await customers.create(source.db, { name: 'Globex' });
		const before = await source.db.selectFrom('tickets').selectAll().execute();
		await source.close();

		const counts = await migrateToPostgres(file, url, { schema });
		expect(counts).toMatchObject({ tickets: 1, projects: 1, ticket_types: 3, customers: 1 });
		expect(counts.outbound_emails).toBeGreaterThan(0);

		const target = await openPostgres(url, { schema });
		try {
			expect(await target.db.selectFrom('tickets').selectAll().execute()).toEqual(before);
			const p = await target.db.selectFrom('projects').selectAll().executeTakeFirstOrThrow();
			expect(p.default_ticket_type_id).toBe(2);
			// Emailed thread links keep working with the same secret.
			const token = splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version);
			expect((await threads.findByToken(target.db, TEST_SECRET, token))?.ticket.id).toBe(ticket.id);
			// Sequences continue after the copied ids (the deleted ticket's id included).
			const next = await makeTicket(target.db, { projectId: project.id });
			expect(next.ticket.id).toBe(ticket.id + 1);
		} finally {
			await target.close();
		}

		await expect(migrateToPostgres(file, url, { schema })).rejects.toThrow(/not empty/);
	});
});
