import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './index';
import { migrate, migrations } from './migrate';

const dir = mkdtempSync(join(tmpdir(), 'portal-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migrations', () => {
	it('apply in order on an empty database and record each version', () => {
		const sqlite = new Database(':memory:');
		const applied = migrate(sqlite);
		expect(applied).toEqual(migrations.map((m) => m.version));
		expect(applied[0]).toBe('0001_init');
		const tables = sqlite
			.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
			.all()
			.map((r) => (r as { name: string }).name);
		for (const t of [
			'projects',
			'tickets',
			'ticket_recipients',
			'messages',
			'attachments',
			'outbound_emails',
			'sessions'
		]) {
			expect(tables).toContain(t);
		}
	});

	it('are idempotent: a second run applies nothing and changes nothing', () => {
		const sqlite = new Database(':memory:');
		migrate(sqlite);
		const before = sqlite.prepare('SELECT count(*) AS n FROM ticket_types').get();
		expect(migrate(sqlite)).toEqual([]);
		expect(sqlite.prepare('SELECT count(*) AS n FROM ticket_types').get()).toEqual(before);
	});

	it('roll back a failing migration whole and leave it unrecorded', () => {
		const sqlite = new Database(':memory:');
		migrate(sqlite);
		const bad = [
			{ version: '9999_bad', sql: 'CREATE TABLE half_done (x INTEGER); SELECT nope FROM missing;' }
		];
		expect(() => migrate(sqlite, bad)).toThrow();
		expect(
			sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()
		).toBeUndefined();
		expect(
			sqlite.prepare("SELECT 1 FROM schema_migrations WHERE version = '9999_bad'").get()
		).toBeUndefined();
	});

	it('open a file database in WAL mode with synchronous=FULL, foreign keys on, temp in memory', async () => {
		const { sqlite, close } = openDatabase(join(dir, 'p.db'));
		expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
		expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
		// A group commit's savepoint journals stay off the disk (2 = MEMORY).
		expect(sqlite.pragma('temp_store', { simple: true })).toBe(2);
		await close();
	});
});
