import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { makeTicket } from '$lib/server/test/factories';
import { startS3 } from '$lib/server/test/s3-peer';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as threads from '$lib/server/threads';
import { splitToken } from '$lib/server/tokens';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { commitStaged } from './commit';
import { DEFAULT_ALLOWED_TYPES } from './detect';
import { createImageQueue } from './images';
import { findForTicket, publicForTicket } from './rows';
import { download } from './serve';
import { stage, type Policy } from './stage';
import { s3Storage } from './storage-s3';
import { sweep } from './sweep';

const { db } = testDb();
const peer = await startS3();
afterAll(() => peer.close());

const storage = s3Storage({
	bucket: peer.bucket,
	prefix: 'portal/',
	endpoint: peer.endpoint,
	region: 'us-east-1',
	forcePathStyle: true,
	tmpDir: mkdtempSync(join(tmpdir(), 'att-s3-tmp-')),
	credentials: peer.credentials
});
const policy: Policy = {
	limits: { maxFiles: 5, maxFileBytes: 4 << 20, maxBytes: 8 << 20 },
	allowed: new Set(DEFAULT_ALLOWED_TYPES),
	maxPixels: 50_000_000
};
const key = () =>
	'a'.repeat(6) +
	randomBytes(10)
		.toString('hex')
		.replace(/[^a-z2-7]/g, 'q') +
	'zzzzzz';
const text = async (r: Response | null) => Buffer.from(await r!.arrayBuffer());

async function storeText(ticketId: number, body: string, name = 'notes.txt') {
	const staged = await stage(storage, [new File([body], name)], policy);
	if (!staged.ok) throw new Error(staged.message);
	const done = await commitStaged({ storage }, staged.staged, null, (within) =>
		db.transaction().execute((tx) => within(tx, { ticketId, messageId: null }))
	);
	if (!done.ok) throw new Error(done.message);
	return staged.staged[0];
}

describe('S3 storage (s3rver)', () => {
	it('stores a streamed upload as an object and streams it back with its hash and size', async () => {
		const data = randomBytes(3 * 1024 * 1024 + 17);
		const k = key();
		const blob = new Blob([data]);
		const put = await storage.write(k, blob.stream());
		expect(put).toEqual({
			size: data.length,
			sha256: createHash('sha256').update(data).digest('hex')
		});
		expect(await storage.size(k)).toBe(data.length);
		const chunks: Buffer[] = [];
		for await (const c of await storage.read(k)) chunks.push(c as Buffer);
		// Streamed in several chunks, not one buffered body.
		expect(chunks.length).toBeGreaterThan(1);
		expect(Buffer.concat(chunks).equals(data)).toBe(true);
		expect((await storage.list()).map((f) => f.key)).toContain(k);
	});

	it('answers a Range request with 206 and exactly those bytes, 416 past the end', async () => {
		const { ticket } = await makeTicket(db);
		const s = await storeText(ticket.id, '0123456789abcdef');
		const a = await db
			.selectFrom('attachments')
			.selectAll()
			.where('storage_key', '=', s.key)
			.executeTakeFirstOrThrow();
		const part = await download(storage, a, 'original', 'bytes=4-9');
		expect(part!.status).toBe(206);
		expect(part!.headers.get('content-range')).toBe('bytes 4-9/16');
		expect(part!.headers.get('content-length')).toBe('6');
		expect((await text(part)).toString()).toBe('456789');
		const tail = await download(storage, a, 'original', 'bytes=-3');
		expect((await text(tail)).toString()).toBe('def');
		const whole = await download(storage, a, 'original');
		expect(whole!.status).toBe(200);
		expect(whole!.headers.get('content-disposition')).toContain('attachment');
		expect((await text(whole)).toString()).toBe('0123456789abcdef');
		const past = await download(storage, a, 'original', 'bytes=99-');
		expect(past!.status).toBe(416);
		expect(past!.headers.get('content-range')).toBe('bytes */16');
	});

	it('refuses a disallowed type and leaves no object behind', async () => {
		const before = (await storage.list()).length;
		const r = await stage(
			storage,
			[new File(['<!doctype html><script>x</script>'], 'a.txt')],
			policy
		);
		expect(r.ok).toBe(false);
		expect((await storage.list()).length).toBe(before);
	});

	it('deletes objects: the download is then a 404 (null)', async () => {
		const { ticket } = await makeTicket(db);
		const s = await storeText(ticket.id, 'short-lived');
		const a = await db
			.selectFrom('attachments')
			.selectAll()
			.where('storage_key', '=', s.key)
			.executeTakeFirstOrThrow();
		await storage.remove(s.key);
		await storage.remove(s.key); // removing twice is fine
		expect(await download(storage, a, 'original')).toBeNull();
	});

	it('serves a file to its ticket’s link only: another ticket’s token gets nothing', async () => {
		const mine = await makeTicket(db);
		const other = await makeTicket(db);
		const s = await storeText(mine.ticket.id, 'private bytes');
		const a = await db
			.selectFrom('attachments')
			.selectAll()
			.where('storage_key', '=', s.key)
			.executeTakeFirstOrThrow();
		// What the thread download route does: token → thread → this ticket's attachment → download.
		const fetchAs = async (recipient: { public_id: string; token_version: number }) => {
			const token = splitToken(TEST_SECRET, 'thread', recipient.public_id, recipient.token_version);
			const thread = await threads.findByToken(db, TEST_SECRET, token);
			const file = thread && (await findForTicket(db, thread.ticket.id, a.public_id));
			return file ? download(storage, file, 'original') : null;
		};
		expect((await text(await fetchAs(mine.reporter))).toString()).toBe('private bytes');
		expect(await fetchAs(other.reporter)).toBeNull();
	});

	it('sweeps only unreferenced objects older than the grace period', async () => {
		const { ticket } = await makeTicket(db);
		const kept = await storeText(ticket.id, 'referenced');
		const orphan = key();
		await storage.write(orphan, new TextEncoder().encode('left by a crash'));
		// Another tool's object under the same prefix is not ours to remove.
		const foreign = { Bucket: peer.bucket, Key: 'portal/README.txt' };
		await storage.client.send(new PutObjectCommand({ ...foreign, Body: 'keep me' }));
		const hour = 3_600_000;
		// Within the grace period (another instance may be about to commit it): kept.
		expect(await sweep(db, storage, hour)).toBe(0);
		expect((await storage.list()).map((f) => f.key)).toContain(orphan);
		// Two hours later: the orphan goes, the referenced object stays.
		const removed = await sweep(db, storage, hour, Date.now() + 2 * hour);
		expect(removed).toBeGreaterThanOrEqual(1);
		const left = (await storage.list()).map((f) => f.key);
		expect(left).not.toContain(orphan);
		expect(left).toContain(kept.key);
		const still = await storage.client.send(new HeadObjectCommand(foreign));
		expect(still.ContentLength).toBe(7);
	});

	it('makes the thumbnail and display copy from the object and stores them as objects', async () => {
		const jpeg = await sharp({
			create: { width: 640, height: 320, channels: 3, background: '#a33' }
		})
			.jpeg()
			.toBuffer();
		const staged = await stage(storage, [new File([new Uint8Array(jpeg)], 'photo.jpg')], policy);
		if (!staged.ok) throw new Error(staged.message);
		expect(staged.staged[0]).toMatchObject({ mime: 'image/jpeg', image: true });
		const { ticket } = await makeTicket(db);
		const images = createImageQueue({ db, storage, maxPixels: 50_000_000 });
		const done = await commitStaged(
			{ storage, images, waitForImagesMs: 20_000 },
			staged.staged,
			null,
			(within) =>
				db.transaction().execute((tx) => within(tx, { ticketId: ticket.id, messageId: null }))
		);
		if (!done.ok) throw new Error(done.message);
		expect((await publicForTicket(db, ticket.id)).ticket[0]).toMatchObject({
			image: true,
			width: 640,
			height: 320
		});
		const a = await db
			.selectFrom('attachments')
			.selectAll()
			.where('id', '=', done.ids[0])
			.executeTakeFirstOrThrow();
		const thumb = await download(storage, a, 'thumb');
		expect(thumb!.headers.get('content-type')).toBe('image/webp');
		const meta = await sharp(await text(thumb)).metadata();
		expect(meta).toMatchObject({ format: 'webp', width: 320, height: 160 });
	});

	it('reports an unreachable bucket in its health check', async () => {
		await expect(storage.check()).resolves.toBeUndefined();
		const wrong = s3Storage({
			...{
				bucket: 'no-such-bucket',
				prefix: '',
				endpoint: peer.endpoint,
				region: 'us-east-1',
				forcePathStyle: true,
				tmpDir: tmpdir(),
				credentials: peer.credentials
			}
		});
		await expect(wrong.check()).rejects.toThrow();
	});
});
