// Read-only looks into a portal's data folder: the SQLite file (opened read-only next to the
// running server, WAL lets both read) and the attachment and mail folders.
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function openReadOnly(dataDir) {
	const db = new Database(join(dataDir, 'portal.db'), { readonly: true, fileMustExist: true });
	db.pragma('busy_timeout = 5000');
	return db;
}

/** Runs `fn(db)` on a read-only connection and closes it. */
export function withDb(dataDir, fn) {
	const db = openReadOnly(dataDir);
	try {
		return fn(db);
	} finally {
		db.close();
	}
}

/** Files in a sub-folder of the data folder (none when it does not exist). */
export function filesIn(dataDir, sub) {
	const dir = join(dataDir, sub);
	return existsSync(dir) ? readdirSync(dir) : [];
}

/**
 * Attachment rows against files on disk: rows whose original (or, once processed, a derived
 * copy) is missing, and files no row names (orphans).
 */
export function attachmentAudit(dataDir) {
	return withDb(dataDir, (db) => {
		const rows = db
			.prepare(
				'SELECT public_id, storage_key, display_key, thumbnail_key, processed_at FROM attachments'
			)
			.all();
		const onDisk = new Set(filesIn(dataDir, 'attachments'));
		const named = new Set();
		const missing = [];
		for (const r of rows) {
			for (const key of [r.storage_key, r.display_key, r.thumbnail_key]) {
				if (!key) continue;
				named.add(key);
				if (!onDisk.has(key)) missing.push(`${r.public_id}:${key}`);
			}
		}
		const orphans = [...onDisk].filter((f) => !named.has(f) && !f.startsWith('.'));
		const pending = rows.filter((r) => r.processed_at === null).length;
		return { rows: rows.length, missing, orphans, pending };
	});
}

/** Waits (bounded) until every attachment row is processed, so derived copies are on disk. */
export async function settleAttachments(dataDir, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	let audit = attachmentAudit(dataDir);
	while (audit.pending > 0 && Date.now() < deadline) {
		await new Promise((r) => setTimeout(r, 250));
		audit = attachmentAudit(dataDir);
	}
	return audit;
}

/** The HMAC secret the server created in the data folder. */
export function secretOf(dataDir) {
	return process.env.SECRET_KEY || readFileSync(join(dataDir, 'secret.key'), 'utf8').trim();
}
