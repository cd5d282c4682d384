import type { StorageConfig } from '$lib/server/config';
import { localStorage, type AttachmentStorage } from './storage';
import { s3Storage } from './storage-s3';

/** The attachment storage `STORAGE_URL` chose: a local folder, or an S3-compatible bucket. */
export function createStorage(config: { storage: StorageConfig }): AttachmentStorage {
	const s = config.storage;
	return s.kind === 's3' ? s3Storage(s) : localStorage(s.dir);
}

/**
 * How old an unreferenced file must be before the start-up sweep removes it. Shared storage
 * holds other instances' uploads in flight, so it gets an hour; a local folder has one owner.
 */
export function sweepGraceMs(config: { storage: StorageConfig }): number {
	return config.storage.kind === 's3' ? 3_600_000 : 0;
}
