import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeTicket } from '$lib/server/test/factories';
import { TEST_DIALECT, testDb } from '$lib/server/test/test-db';
import { publicId } from '$lib/server/tokens';
import { commitStaged } from './commit';
import { DEFAULT_ALLOWED_TYPES } from './detect';
import { claimWaiting } from './image-jobs';
import { createImageQueue } from './images';
import { publicForTicket } from './rows';
import { stage } from './stage';
import { localStorage, type AttachmentStorage } from './storage';

// Runs on SQLite and, in the postgres project, on PostgreSQL (FOR UPDATE SKIP LOCKED): several
// image workers on one database, as with several portal instances.
const { db } = testDb();
const MAX_PIXELS = 50_000_000;

/** Local storage that counts the thumbnails written per image (each must be made once). */
function countingStorage() {
	const inner = localStorage(mkdtempSync(join(tmpdir(), 'img-jobs-')));
	const thumbs = new Map<string, number>();
	const storage: AttachmentStorage = {
		...inner,
		async write(key, data) {
			if (key.endsWith('.thumb.webp')) {
				const original = key.slice(0, -'.thumb.webp'.length);
				thumbs.set(original, (thumbs.get(original) ?? 0) + 1);
			}
			return inner.write(key, data);
		}
	};
	return { storage, thumbs };
}

const jpeg = () =>
	sharp({ create: { width: 400, height: 300, channels: 3, background: '#36c' } })
		.jpeg()
		.toBuffer();

/** Stores `n` images on a new ticket, waiting for processing and claimed by nobody (or `claim`). */
async function waitingImages(
	storage: AttachmentStorage,
	n: number,
	claim?: { claimed_by: string; lease_until: number }
) {
	const { ticket } = await makeTicket(db);
	const data = await jpeg();
	const keys: string[] = [];
	for (let i = 0; i < n; i++) {
		const key = publicId() + publicId();
		await storage.write(key, data);
		keys.push(key);
	}
	await storage.sync();
	await db
		.insertInto('attachments')
		.values(
			keys.map((key, i) => ({
				public_id: publicId(),
				ticket_id: ticket.id,
				message_id: null,
				storage_key: key,
				name: `photo-${i}.jpg`,
				mime: 'image/jpeg',
				size: data.length,
				sha256: '0'.repeat(64),
				width: null,
				height: null,
				display_key: null,
				thumbnail_key: null,
				created_at: Date.now(),
				processed_at: null,
				claimed_by: claim?.claimed_by ?? null,
				lease_until: claim?.lease_until ?? null
			}))
		)
		.execute();
	return { ticket, keys };
}

const rowsOf = (ticketId: number) =>
	db
		.selectFrom('attachments')
		.select(['id', 'storage_key', 'processed_at', 'thumbnail_key', 'claimed_by', 'lease_until'])
		.where('ticket_id', '=', ticketId)
		.orderBy('id')
		.execute();

describe('image jobs on one database', () => {
	it('two workers running at once make each thumbnail exactly once', async () => {
		const { storage, thumbs } = countingStorage();
		const { ticket, keys } = await waitingImages(storage, 6);
		const opts = { db, storage, maxPixels: MAX_PIXELS, leaseMs: 60_000 };
		const a = createImageQueue({ ...opts, worker: 'a' });
		const b = createImageQueue({ ...opts, worker: 'b' });
		const [byA, byB] = await Promise.all([a.run(), b.run()]);
		expect(byA + byB).toBe(6);
		expect([...thumbs.entries()].sort()).toEqual(keys.map((k) => [k, 1]).sort());
		const rows = await rowsOf(ticket.id);
		expect(rows.every((r) => r.processed_at !== null && r.thumbnail_key !== null)).toBe(true);
		expect(rows.every((r) => r.claimed_by === null && r.lease_until === null)).toBe(true);
		// Nothing is left to claim: running again makes nothing twice.
		expect(await a.run()).toBe(0);
		expect([...thumbs.values()].every((n) => n === 1)).toBe(true);
	});

	it('takes over the images of a worker that died once its lease ran out, not before', async () => {
		const { storage, thumbs } = countingStorage();
		const now = Date.now();
		const { ticket, keys } = await waitingImages(storage, 2, {
			claimed_by: 'dead',
			lease_until: now + 60_000
		});
		const other = createImageQueue({ db, storage, maxPixels: MAX_PIXELS, worker: 'other' });
		// While the lease lives, nobody else makes them.
		expect(await other.run(now + 30_000)).toBe(0);
		expect(thumbs.size).toBe(0);
		// Asked directly (as after an upload), it still leaves another worker's live claim alone.
		await other.enqueue((await rowsOf(ticket.id)).map((r) => r.id));
		expect(thumbs.size).toBe(0);
		// The worker never came back: after the lease, another instance makes them, once.
		expect(await other.run(now + 61_000)).toBe(2);
		expect([...thumbs.entries()].sort()).toEqual(keys.map((k) => [k, 1]).sort());
		expect((await rowsOf(ticket.id)).every((r) => r.thumbnail_key && !r.claimed_by)).toBe(true);
	});

	it('an upload is claimed by the instance that stored it: a polling instance leaves it', async () => {
		const { storage, thumbs } = countingStorage();
		const staged = await stage(storage, [new File([new Uint8Array(await jpeg())], 'a.jpg')], {
			limits: { maxFiles: 5, maxFileBytes: 1 << 20, maxBytes: 1 << 21 },
			allowed: new Set(DEFAULT_ALLOWED_TYPES),
			maxPixels: MAX_PIXELS
		});
		if (!staged.ok) throw new Error(staged.message);
		const { ticket } = await makeTicket(db);
		const mine = createImageQueue({ db, storage, maxPixels: MAX_PIXELS, worker: 'mine' });
		const other = createImageQueue({ db, storage, maxPixels: MAX_PIXELS, worker: 'other' });
		// Hold the processing back until the other instance polled, right after the commit.
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		const slow = {
			lease: mine.lease,
			enqueue: async (ids: number[]) => {
				await held;
				return mine.enqueue(ids);
			}
		};
		const done = commitStaged({ storage, images: slow }, staged.staged, null, (within) =>
			db.transaction().execute((tx) => within(tx, { ticketId: ticket.id, messageId: null }))
		);
		await expect.poll(async () => (await rowsOf(ticket.id)).length).toBe(1);
		expect((await rowsOf(ticket.id))[0].claimed_by).toBe('mine');
		expect(await other.run()).toBe(0);
		release();
		expect((await done).ok).toBe(true);
		expect([...thumbs.values()]).toEqual([1]);
		const [shown] = (await publicForTicket(db, ticket.id)).ticket;
		expect(shown).toMatchObject({ image: true, width: 400, height: 300 });
	});

	it('a stopping worker hands back the images it had not started', async () => {
		const { storage, thumbs } = countingStorage();
		const { ticket } = await waitingImages(storage, 3);
		const a = createImageQueue({ db, storage, maxPixels: MAX_PIXELS, worker: 'a', concurrency: 1 });
		const ids = await claimWaiting(db, 'a', { now: Date.now(), leaseMs: 60_000, limit: 3 });
		expect(ids).toHaveLength(3);
		const running = a.enqueue(ids);
		await a.stop();
		await running;
		expect(thumbs.size).toBe(1);
		const rows = await rowsOf(ticket.id);
		expect(rows.filter((r) => r.processed_at === null && r.claimed_by === null)).toHaveLength(2);
		// Another instance makes them at once, without waiting for a lease.
		const b = createImageQueue({ db, storage, maxPixels: MAX_PIXELS, worker: 'b' });
		expect(await b.run()).toBe(2);
		expect([...thumbs.values()]).toEqual([1, 1, 1]);
	});

	it.runIf(TEST_DIALECT === 'sqlite')(
		'on SQLite (one process per database) a restart makes a crashed run’s claimed images at once',
		async () => {
			const { storage, thumbs } = countingStorage();
			await waitingImages(storage, 1, {
				claimed_by: 'crashed',
				lease_until: Date.now() + 3_600_000
			});
			const restarted = createImageQueue({ db, storage, maxPixels: MAX_PIXELS });
			await restarted.resume();
			expect([...thumbs.values()]).toEqual([1]);
		}
	);
});
