import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '$lib/server/db';
import { makeTicket } from '$lib/server/test/factories';
import { backup } from './backup';

const dir = mkdtempSync(join(tmpdir(), 'portal-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup', () => {
	it('copies a live WAL database, including committed rows still in the WAL, and checks the copy', async () => {
		const live = openDatabase(join(dir, 'live.db'));
		const { ticket } = await makeTicket(live.db, { title: 'Survives backup' });
		const result = await backup(join(dir, 'live.db'), join(dir, 'copy.db'));
		expect(result.integrity).toBe('ok');
		const copy = new Database(result.file, { readonly: true });
		expect(copy.prepare('SELECT title FROM tickets WHERE id = ?').get(ticket.id)).toEqual({
			title: 'Survives backup'
		});
		copy.close();
		await live.close();
	});

	it('refuses to overwrite an existing file', async () => {
		await expect(backup(join(dir, 'live.db'), join(dir, 'copy.db'))).rejects.toThrow(
			/exists already/
		);
	});
});
