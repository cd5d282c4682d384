// Part of `migrate-to-postgres`: the attachment files of an SQLite install, moved to the shared
// storage (`STORAGE_URL`) under the same keys, each checked by size once stored.
import type Database from 'better-sqlite3';
import { Readable } from 'node:stream';
import type { AttachmentStorage } from '$lib/server/attachments/storage';

export interface FileCopy {
	/** Files written to the target and checked by size. */
	copied: number;
	/** Files the target already held with the right size (a repeated run), not sent again. */
	present: number;
	/** Keys a row names that are not in the source folder (already broken there). */
	missing: string[];
	bytes: number;
}

/** Every storage key the attachment rows name: originals, display copies and thumbnails. */
export function namedKeys(sqlite: Database.Database): string[] {
	const rows = sqlite
		.prepare('SELECT storage_key, display_key, thumbnail_key FROM attachments ORDER BY id')
		.all() as { storage_key: string; display_key: string | null; thumbnail_key: string | null }[];
	return [...new Set(rows.flatMap((r) => [r.storage_key, r.display_key, r.thumbnail_key]))].filter(
		(k): k is string => !!k
	);
}

async function sizeOrNull(storage: AttachmentStorage, key: string): Promise<number | null> {
	try {
		return await storage.size(key);
	} catch {
		return null;
	}
}

/**
 * Copies the files named by `keys` from `from` to `to`, a few at a time. An object already in
 * the target with the same size is kept; each written one is read back by size (HEAD on S3) and
 * a mismatch throws, so a run that ends without an error moved every file the rows name.
 */
export async function copyAttachments(
	from: AttachmentStorage,
	to: AttachmentStorage,
	keys: string[],
	parallel = 4
): Promise<FileCopy> {
	const result: FileCopy = { copied: 0, present: 0, missing: [], bytes: 0 };
	let next = 0;
	async function copyOne(key: string) {
		const size = await sizeOrNull(from, key);
		if (size === null) {
			result.missing.push(key);
			return;
		}
		if ((await sizeOrNull(to, key)) === size) {
			result.present++;
			return;
		}
		// A partial object left by an interrupted run is replaced.
		await to.remove(key);
		const body = Readable.toWeb(await from.read(key)) as ReadableStream<Uint8Array>;
		const written = await to.write(key, body);
		const stored = await sizeOrNull(to, key);
		if (written.size !== size || stored !== size)
			throw new Error(
				`Attachment ${key} was not copied whole: ${size} bytes in the folder, ${stored ?? 'none'} stored`
			);
		result.copied++;
		result.bytes += size;
	}
	const workers = Array.from({ length: Math.min(parallel, keys.length) }, async () => {
		while (next < keys.length) await copyOne(keys[next++]);
	});
	await Promise.all(workers);
	await to.sync();
	result.missing.sort();
	return result;
}
