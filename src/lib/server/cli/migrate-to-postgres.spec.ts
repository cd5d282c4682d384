import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { commitStaged } from '$lib/server/attachments/commit';
import { DEFAULT_ALLOWED_TYPES } from '$lib/server/attachments/detect';
import { createImageQueue } from '$lib/server/attachments/images';
import { findForTicket, publicForTicket } from '$lib/server/attachments/rows';
import { download } from '$lib/server/attachments/serve';
import { stage } from '$lib/server/attachments/stage';
import { localStorage } from '$lib/server/attachments/storage';
import { s3Storage } from '$lib/server/attachments/storage-s3';
import * as customers from '$lib/server/customers';
import { openDatabase } from '$lib/server/db';
import { openPostgres } from '$lib/server/db/postgres';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { startS3 } from '$lib/server/test/s3-peer';
import { TEST_DIALECT, TEST_SECRET } from '$lib/server/test/test-db';
import * as threads from '$lib/server/threads';
import { splitToken } from '$lib/server/tokens';
import { migrateToPostgres } from './migrate-to-postgres';

// Runs in vitest's postgres project only (TEST_DATABASE_URL set).
const url = process.env.TEST_DATABASE_URL ?? '';
const dir = mkdtempSync(join(tmpdir(), 'portal-to-pg-'));
const schema = `pgwt_copy_${randomBytes(6).toString('hex')}`;
const filesSchema = `pgwt_files_${randomBytes(6).toString('hex')}`;
afterAll(async () => {
	rmSync(dir, { recursive: true, force: true });
	if (TEST_DIALECT !== 'postgres') return;
	const target = await openPostgres(url, { schema, migrate: false });
	for (const s of [schema, filesSchema])
		await target.db.schema.dropSchema(s).ifExists().cascade().execute();
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

		const { counts, files } = await migrateToPostgres(file, url, { schema });
		expect(files).toBeNull();
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

	it('moves the attachment files to S3 storage, checked by size, and downloads keep working', async () => {
		const peer = await startS3();
		try {
			const folder = join(dir, 'files');
			const from = localStorage(join(folder, 'attachments'));
			const to = s3Storage({
				bucket: peer.bucket,
				prefix: 'moved/',
				endpoint: peer.endpoint,
				region: 'us-east-1',
				forcePathStyle: true,
				tmpDir: join(folder, 'tmp'),
				credentials: peer.credentials
			});
			const file = join(folder, 'portal.db');
			mkdirSync(folder, { recursive: true });
			const source = openDatabase(file);
			const { ticket, reporter } = await makeTicket(source.db);
			const jpeg = await sharp({
				create: { width: 500, height: 400, channels: 3, background: '#c63' }
			})
				.jpeg()
				.toBuffer();
			const notes = Buffer.from('A line of notes.\n'.repeat(20_000));
			const staged = await stage(
				from,
				[new File([new Uint8Array(jpeg)], 'photo.jpg'), new File([notes], 'notes.txt')],
				{
					limits: { maxFiles: 5, maxFileBytes: 1 << 20, maxBytes: 1 << 21 },
					allowed: new Set(DEFAULT_ALLOWED_TYPES),
					maxPixels: 50_000_000
				}
			);
			if (!staged.ok) throw new Error(staged.message);
			const images = createImageQueue({ db: source.db, storage: from, maxPixels: 50_000_000 });
			const done = await commitStaged(
				{ storage: from, images, waitForImagesMs: 20_000 },
				staged.staged,
				null,
				(within) =>
					source.db
						.transaction()
						.execute((tx) => within(tx, { ticketId: ticket.id, messageId: null }))
			);
			if (!done.ok) throw new Error(done.message);
			// A file no row names (a crash between write and commit) is not moved.
			await from.write('orphanorphanorphanorphanorph', new TextEncoder().encode('orphan'));
			const named = (await from.list()).filter((f) => !f.key.startsWith('orphan'));
			expect(named).toHaveLength(4); // the photo, its display copy and thumbnail, the notes
			await source.close();

			const { counts, files } = await migrateToPostgres(file, url, {
				schema: filesSchema,
				files: { from, to }
			});
			expect(counts.attachments).toBe(2);
			expect(files).toMatchObject({ copied: 4, present: 0, missing: [] });
			const sizes = Object.fromEntries(
				await Promise.all(named.map(async (f) => [f.key, await from.size(f.key)] as const))
			);
			expect(files!.bytes).toBe(Object.values(sizes).reduce((a, b) => a + b, 0));
			const stored = (await to.list()).map((f) => f.key).sort();
			expect(stored).toEqual(Object.keys(sizes).sort());
			for (const [k, size] of Object.entries(sizes)) expect(await to.size(k)).toBe(size);

			// On the new database and storage, the reporter's link finds the ticket and its files
			// download with the same bytes, the image with its thumbnail.
			const target = await openPostgres(url, { schema: filesSchema });
			try {
				const token = splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version);
				const thread = await threads.findByToken(target.db, TEST_SECRET, token);
				expect(thread?.ticket.id).toBe(ticket.id);
				const shown = (await publicForTicket(target.db, ticket.id)).ticket;
				expect(shown.map((a) => [a.name, a.image])).toEqual([
					['photo.jpg', true],
					['notes.txt', false]
				]);
				const row = await findForTicket(target.db, ticket.id, shown[1].id);
				const res = await download(to, row!, 'original');
				expect(Buffer.from(await res!.arrayBuffer()).equals(notes)).toBe(true);
				const photo = await findForTicket(target.db, ticket.id, shown[0].id);
				const thumb = await download(to, photo!, 'thumb');
				expect(thumb?.headers.get('content-type')).toBe('image/webp');
			} finally {
				await target.close();
			}
			// A second run refuses the now non-empty database before sending any file again.
			await to.remove(named[0].key);
			await expect(
				migrateToPostgres(file, url, { schema: filesSchema, files: { from, to } })
			).rejects.toThrow(/not empty/);
			expect((await to.list()).map((f) => f.key)).not.toContain(named[0].key);
		} finally {
			await peer.close();
		}
	});
});
