import type { StorageConfig } from '$lib/server/config';
import { localStorage, type AttachmentStorage } from './storage';
import { s3Storage } from './storage-s3';

/** The attachment storage `STORAGE_URL` chose: a local folder, or an S3-compatible bucket. */
export function createStorage(config: { storage: StorageConfig }): AttachmentStorage {
	const s = config.storage;
	return s.kind === 's3' ? s3Storage(s) : localStorage(s.dir);
}
