import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Copies a live database with SQLite's online backup API (safe while the portal runs), then
 * runs `integrity_check` on the copy.
 */
export async function backup(source: string, target: string) {
	const file = resolve(target);
	if (existsSync(file)) throw new Error(`${file} exists already; choose a new file name`);
	if (!existsSync(source))
		throw new Error(`No database at ${source}; check DATA_DIR or start the portal once`);
	mkdirSync(dirname(file), { recursive: true });
	const db = new Database(source, { readonly: true, fileMustExist: true });
	try {
		const { totalPages } = await db.backup(file);
		const copy = new Database(file, { readonly: true });
		try {
			const integrity = String(copy.pragma('integrity_check', { simple: true }));
			return { file, pages: totalPages, integrity };
		} finally {
			copy.close();
		}
	} finally {
		db.close();
	}
}
