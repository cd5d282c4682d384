import type { Conn } from '$lib/server/db';
import type { AttachmentStorage } from './storage';

/**
 * Removes stored files that no attachment row references: what a crash between writing and
 * committing leaves behind. Run at start-up, before requests write new files; files younger
 * than `graceMs` are kept in case a request is mid-flight. Returns how many were removed.
 */
export async function sweep(
	db: Conn,
	storage: AttachmentStorage,
	graceMs = 0,
	now = Date.now()
): Promise<number> {
	const rows = await db
		.selectFrom('attachments')
		.select(['storage_key', 'display_key', 'thumbnail_key'])
		.execute();
	const known = new Set(
		rows.flatMap((r) => [r.storage_key, r.display_key, r.thumbnail_key]).filter(Boolean)
	);
	let removed = 0;
	for (const f of await storage.list()) {
		// graceMs 0 = no grace (a file timestamp may even read a hair later than `now`).
		if (known.has(f.key) || (graceMs > 0 && now - f.mtimeMs < graceMs)) continue;
		await storage.remove(f.key);
		removed++;
	}
	return removed;
}
