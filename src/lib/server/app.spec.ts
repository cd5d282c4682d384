import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { app, start, stop } from './app';
import { loadConfig } from './config';
import { openDatabase } from './db';
import { makeTicket } from './test/factories';

// The app container owns its lifecycle: a stopped app leaves nothing running, and a second app
// in the same process starts from scratch on its own folder.
const dirs: string[] = [];
afterEach(() => stop());
afterAll(() => {
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function boot() {
	const dir = mkdtempSync(join(tmpdir(), 'portal-app-'));
	dirs.push(dir);
	// A poll far beyond the test's waits: only a wake-up can explain prompt mail.
	const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', OUTBOX_POLL_MS: '600000' });
	return start(config, { seed: false });
}

const mailIn = (dir: string) =>
	existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];

async function until(check: () => boolean, ms = 5000) {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 20));
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('app start and stop', () => {
	it('sends mail only after serve(), woken by the write that queued it', async () => {
		const a = await boot();
		await makeTicket(a.db);
		await sleep(300);
		expect(mailIn(a.config.mailDir)).toHaveLength(0);
		a.serve();
		await until(() => mailIn(a.config.mailDir).length === 1);
		// No poll is due for ten minutes: the create itself wakes the running worker.
		await makeTicket(a.db);
		await until(() => mailIn(a.config.mailDir).length === 2, 2000);
	});

	it('stop lets the mail in hand finish, then nothing more is sent', async () => {
		const a = await boot();
		for (let i = 0; i < 30; i++) await makeTicket(a.db);
		const { dbFile, mailDir } = a.config;
		a.serve();
		await until(() => mailIn(mailDir).length > 0);
		await stop();
		const files = mailIn(mailDir).length;
		await sleep(300);
		expect(mailIn(mailDir)).toHaveLength(files);
		const reopened = openDatabase(dbFile);
		const sent = await reopened.db
			.selectFrom('outbound_emails')
			.select('id')
			.where('status', '=', 'sent')
			.execute();
		await reopened.close();
		// Every mail written is recorded as sent: none was cut off between the two.
		expect(sent).toHaveLength(files);
	});

	it('stop waits for the thumbnail in progress and closes the database', async () => {
		const a = await boot();
		const png = await sharp({
			create: { width: 1200, height: 900, channels: 3, background: '#3a7' }
		})
			.png()
			.toBuffer();
		const form = new FormData();
		form.append('files', new File([new Uint8Array(png)], 'shot.png', { type: 'image/png' }));
		const upload = await a.uploads.receive(form, { kind: 'staff' });
		if (!upload.ok) throw new Error(upload.message);
		const done = await upload.commit((within) =>
			makeTicket(a.db, {
				within: (tx, { ticket }) => within(tx, { ticketId: ticket.id, messageId: null })
			})
		);
		if (!done.ok) throw new Error(done.message);
		// Make it pending again and start it, then stop while it is being processed.
		const row = await a.db
			.updateTable('attachments')
			.set({ processed_at: null, display_key: null, thumbnail_key: null })
			.where('ticket_id', '=', done.value.ticket.id)
			.returningAll()
			.executeTakeFirstOrThrow();
		const id = row.id;
		await a.uploads.storage.remove(`${row.storage_key}.thumb.webp`);
		await a.uploads.storage.remove(`${row.storage_key}.display.webp`);
		void a.uploads.images.enqueue([id]);
		await stop();
		expect(a.database.sqlite?.open).toBe(false);
		expect(() => app()).toThrow('not started');
		const reopened = openDatabase(a.config.dbFile);
		const after = await reopened.db
			.selectFrom('attachments')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		await reopened.close();
		expect(after.processed_at).not.toBeNull();
		expect(after.thumbnail_key).toBe(`${row.storage_key}.thumb.webp`);
		expect(existsSync(join(a.config.attachmentsDir, after.thumbnail_key!))).toBe(true);
	});

	it('starts again in the same process on a fresh folder, with its own services', async () => {
		const first = await boot();
		await first.limits.login.takeAll([['loginEmail', 'a@example.com']]);
		await stop();
		const second = await boot();
		expect(second).not.toBe(first);
		expect(app()).toBe(second);
		second.serve();
		await makeTicket(second.db);
		await until(() => mailIn(second.config.mailDir).length === 1, 2000);
		// The limiters count in the second app's counters file, not in the closed first one's.
		await second.limits.login.takeAll([['loginEmail', 'b@example.com']]);
		const file = new Database(join(second.config.dataDir, 'limits.db'), { readonly: true });
		const counters = file.prepare("SELECT key FROM rate_limits WHERE key LIKE 'loginEmail%'").all();
		file.close();
		expect(counters).toEqual([{ key: 'loginEmail:b@example.com' }]);
		expect(mailIn(first.config.mailDir)).toHaveLength(0);
	});
});
