import { makeTicket } from '$lib/server/test/factories';
import { testDb } from '$lib/server/test/test-db';
import * as tickets from '$lib/server/tickets';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BACKLOG_MAX, commitStaged } from './commit';
import { DEFAULT_ALLOWED_TYPES } from './detect';
import { createImageQueue } from './images';
import * as quota from './quota';
import { publicForTicket } from './rows';
import { stage, type Policy, type Staged } from './stage';
import { localStorage } from './storage';
import { sweep } from './sweep';

const { db } = testDb();
const policy: Policy = {
	limits: { maxFiles: 5, maxFileBytes: 1 << 20, maxBytes: 1 << 21 },
	allowed: new Set(DEFAULT_ALLOWED_TYPES),
	maxPixels: 50_000_000
};

function store() {
	const dir = mkdtempSync(join(tmpdir(), 'att-commit-'));
	return { dir, storage: localStorage(dir), files: () => readdirSync(dir).sort() };
}

async function staged(storage: ReturnType<typeof localStorage>, files: File[]): Promise<Staged[]> {
	const r = await stage(storage, files, policy);
	if (!r.ok) throw new Error(r.message);
	return r.staged;
}

/** One small JPEG, staged as an upload would be. */
async function stagedJpeg(storage: ReturnType<typeof localStorage>, colour: string, name: string) {
	const jpeg = await sharp({ create: { width: 60, height: 30, channels: 3, background: colour } })
		.jpeg()
		.toBuffer();
	return staged(storage, [new File([new Uint8Array(jpeg)], name)]);
}

const count = async () =>
	(
		await db
			.selectFrom('attachments')
			.select(db.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow()
	).n;
const quotaKey = (key: string, limit = 1000): quota.QuotaKey => ({
	key,
	limit,
	owner: 'link'
});
const project = await db
	.selectFrom('ticket_types')
	.select('id')
	.where('key', '=', 'question')
	.executeTakeFirstOrThrow();

describe('write, then commit', () => {
	it('stores rows with the ticket in one transaction, files already on disk', async () => {
		const s = store();
		const files = await staged(s.storage, [
			new File(['hello'], 'a.txt'),
			new File(['world'], 'b.txt')
		]);
		const { ticket } = await makeTicket(db);
		const done = await commitStaged(
			{ storage: s.storage },
			files,
			quotaKey('token:one'),
			(within) =>
				db.transaction().execute((tx) => within(tx, { ticketId: ticket.id, messageId: null }))
		);
		expect(done.ok).toBe(true);
		const grouped = await publicForTicket(db, ticket.id);
		expect(grouped.ticket.map((a) => [a.name, a.mime, a.size, a.image])).toEqual([
			['a.txt', 'text/plain', 5, false],
			['b.txt', 'text/plain', 5, false]
		]);
		expect(grouped.ticket[0].id).toMatch(/^[a-z2-7]{16}$/);
		expect(s.files()).toEqual(files.map((f) => f.key).sort());
		expect(await quota.used(db, 'token:one')).toBe(10);
	});

	it('leaves no rows and no files when the create transaction fails', async () => {
		const s = store();
		const files = await staged(s.storage, [new File(['data'], 'c.txt')]);
		const before = await count();
		const tickets0 = await db.selectFrom('tickets').select('id').execute();
		const type = project.id;
		await expect(
			commitStaged({ storage: s.storage }, files, quotaKey('client:1.2.3.4'), (within) =>
				tickets.create(db, {
					projectId: 999_999, // no such project: the ticket insert fails after the files were written
					ticketTypeId: type,
					title: 'x',
					description: 'y',
					reporterEmail: 'r@example.com',
					within: (tx, { ticket }) => within(tx, { ticketId: ticket.id, messageId: null })
				})
			)
		).rejects.toThrow(/foreign key/i);
		expect(await count()).toBe(before);
		expect(await db.selectFrom('tickets').select('id').execute()).toEqual(tickets0);
		expect(s.files()).toEqual([]);
		expect(await quota.used(db, 'client:1.2.3.4')).toBe(0);
	});

	it('rolls back rows inserted by the hook when a later step of the transaction fails', async () => {
		const s = store();
		const files = await staged(s.storage, [new File(['data'], 'd.txt')]);
		const { ticket } = await makeTicket(db);
		const before = await count();
		await expect(
			commitStaged({ storage: s.storage }, files, null, (within) =>
				db.transaction().execute(async (tx) => {
					await within(tx, { ticketId: ticket.id, messageId: null });
					throw new Error('mail queue unavailable');
				})
			)
		).rejects.toThrow('mail queue unavailable');
		expect(await count()).toBe(before);
		expect(s.files()).toEqual([]);
	});

	it('refuses inside the transaction when the daily quota ran out meanwhile', async () => {
		const s = store();
		const { ticket } = await makeTicket(db);
		const q = quotaKey('token:two', 12);
		const first = await staged(s.storage, [new File(['12345678'], 'e.txt')]);
		await commitStaged({ storage: s.storage }, first, q, (within) =>
			db.transaction().execute((tx) => within(tx, { ticketId: ticket.id, messageId: null }))
		);
		const second = await staged(s.storage, [new File(['12345678'], 'f.txt')]);
		const refused = await commitStaged({ storage: s.storage }, second, q, (within) =>
			db.transaction().execute((tx) => within(tx, { ticketId: ticket.id, messageId: null }))
		);
		expect(refused).toMatchObject({ ok: false, status: 413 });
		if (refused.ok) return;
		expect(refused.message).toMatch(
			/more than this ticket link may still upload today \(4 bytes of 12 bytes a day left\)/
		);
		expect(refused.retryAfterSec).toBeGreaterThan(0);
		expect(s.files()).toEqual([first[0].key]);
		expect(await quota.used(db, 'token:two')).toBe(8);
		// The quota resets the next UTC day.
		expect(await quota.check(db, q, 8, Date.now() + 86_400_000)).toBeNull();
	});
});

describe('after the commit', () => {
	it('makes the thumbnail and display copy once, and the sweep removes only orphans', async () => {
		const s = store();
		const jpeg = await sharp({
			create: { width: 600, height: 300, channels: 3, background: '#3a3' }
		})
			.jpeg()
			.toBuffer();
		const files = await staged(s.storage, [new File([new Uint8Array(jpeg)], 'holiday.jpg')]);
		const { ticket } = await makeTicket(db);
		const images = createImageQueue({ db, storage: s.storage, maxPixels: 50_000_000 });
		const done = await commitStaged(
			{ storage: s.storage, images, waitForImagesMs: 10_000 },
			files,
			null,
			(within) =>
				db.transaction().execute((tx) => within(tx, { ticketId: ticket.id, messageId: null }))
		);
		if (!done.ok) throw new Error('refused');
		const [a] = (await publicForTicket(db, ticket.id)).ticket;
		expect(a).toMatchObject({ name: 'holiday.jpg', image: true, width: 600, height: 300 });
		const key = files[0].key;
		expect(s.files()).toEqual([key, `${key}.display.webp`, `${key}.thumb.webp`].sort());

		const row = await db
			.selectFrom('attachments')
			.select(['processed_at'])
			.where('id', '=', done.ids[0])
			.executeTakeFirstOrThrow();
		await images.enqueue(done.ids);
		await images.resume();
		const again = await db
			.selectFrom('attachments')
			.select(['processed_at'])
			.where('id', '=', done.ids[0])
			.executeTakeFirstOrThrow();
		expect(again.processed_at).toBe(row.processed_at);

		// A crash between writing and committing leaves files without rows: the sweep removes them.
		writeFileSync(join(s.dir, 'abcdefghijklmnopqrstuvwxyz'), 'orphan');
		expect(await sweep(db, s.storage)).toBe(1);
		expect(s.files()).toEqual([key, `${key}.display.webp`, `${key}.thumb.webp`].sort());
	});

	it('answers at once, without waiting for thumbnails, when other images are in the queue', async () => {
		const s = store();
		const files = await stagedJpeg(s.storage, '#33a', 'queued.jpg');
		const { ticket } = await makeTicket(db);
		const queued: number[][] = [];
		// A queue whose workers are all taken: its images finish some time later, not now.
		const images = {
			busy: () => true,
			backlog: () => 3,
			lease: () => ({ claimed_by: 'elsewhere', lease_until: Date.now() + 60_000 }),
			enqueue: (ids: number[]) => {
				queued.push(ids);
				return new Promise<void>(() => {});
			}
		};
		// Waiting (up to a minute) would outlast the test's own timeout.
		const done = await commitStaged(
			{ storage: s.storage, images, waitForImagesMs: 60_000 },
			files,
			null,
			(within) =>
				db.transaction().execute((tx) => within(tx, { ticketId: ticket.id, messageId: null }))
		);
		expect(done.ok).toBe(true);
		if (done.ok) expect(queued).toEqual([done.ids]);
	});

	it('waits for its thumbnails behind a long queue, so uploads cannot outrun the worker', async () => {
		const s = store();
		const files = await stagedJpeg(s.storage, '#a3a', 'late.jpg');
		const { ticket } = await makeTicket(db);
		let finish = () => {};
		const images = {
			busy: () => true,
			backlog: () => BACKLOG_MAX,
			lease: () => ({ claimed_by: 'here', lease_until: Date.now() + 60_000 }),
			enqueue: () => new Promise<void>((resolve) => (finish = resolve))
		};
		let answered = false;
		const done = commitStaged(
			{ storage: s.storage, images, waitForImagesMs: 60_000 },
			files,
			null,
			(within) =>
				db.transaction().execute((tx) => within(tx, { ticketId: ticket.id, messageId: null }))
		).then((r) => ((answered = true), r));
		await new Promise((r) => setTimeout(r, 200));
		expect(answered).toBe(false);
		finish();
		expect((await done).ok).toBe(true);
	});
});
