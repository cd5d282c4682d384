import type { StorageConfig } from '$lib/server/config';
import { localStorage, type AttachmentStorage } from './storage';

/** The attachment storage `STORAGE_URL` chose: a local folder, or an S3-compatible bucket. */
export async function createStorage(config: {
	storage: StorageConfig;
}): Promise<AttachmentStorage> {
	const s = config.storage;
	if (s.kind === 'local') return localStorage(s.dir);
	// Loaded only when configured: the AWS SDK is large, and files on disk do not need it.
	const { s3Storage } = await import('./storage-s3');
	return s3Storage(s);
}
