import { resolve } from 'node:path';
import { z } from 'zod';
import { int, MB } from './env';

/** Attachments: public ingress limits, staff limits, allowlist, quotas. */
export const uploadsEnv = z.object({
	PUBLIC_UPLOAD_MAX_BYTES: int('PUBLIC_UPLOAD_MAX_BYTES', 10 * MB, 1),
	PUBLIC_UPLOAD_MAX_FILE_BYTES: int('PUBLIC_UPLOAD_MAX_FILE_BYTES', 10 * MB, 1),
	PUBLIC_UPLOAD_MAX_FILES: int('PUBLIC_UPLOAD_MAX_FILES', 5, 0),
	STAFF_UPLOAD_MAX_BYTES: int('STAFF_UPLOAD_MAX_BYTES', 50 * MB, 1),
	/** Staff replies and notes: one file, and files per message (the total is the one above). */
	STAFF_UPLOAD_MAX_FILE_BYTES: int('STAFF_UPLOAD_MAX_FILE_BYTES', 50 * MB, 1),
	STAFF_UPLOAD_MAX_FILES: int('STAFF_UPLOAD_MAX_FILES', 10, 0),
	UPLOAD_ALLOWED_TYPES: z.string().optional(),
	UPLOAD_IMAGE_MAX_PIXELS: int('UPLOAD_IMAGE_MAX_PIXELS', 50_000_000, 1),
	UPLOAD_TOKEN_DAILY_BYTES: int('UPLOAD_TOKEN_DAILY_BYTES', 50 * MB, 0),
	UPLOAD_TOKEN_PER_HOUR: int('UPLOAD_TOKEN_PER_HOUR', 20, 0),
	UPLOAD_CLIENT_DAILY_BYTES: int('UPLOAD_CLIENT_DAILY_BYTES', 100 * MB, 0),
	/** Seconds an instance owns an image whose thumbnail it makes; a dead one's is retaken after. */
	THUMBNAIL_LEASE_SEC: int('THUMBNAIL_LEASE_SEC', 120, 1),
	/** Minutes an unreferenced attachment file is kept before the start-up sweep removes it. */
	UPLOAD_ORPHAN_GRACE_MIN: int('UPLOAD_ORPHAN_GRACE_MIN', 60, 0)
});

/** Upload limits (a file never larger than the total), allowed types, images and quotas. */
export function uploadsConfig(e: z.infer<typeof uploadsEnv>) {
	return {
		publicMaxBytes: e.PUBLIC_UPLOAD_MAX_BYTES,
		publicMaxFileBytes: Math.min(e.PUBLIC_UPLOAD_MAX_FILE_BYTES, e.PUBLIC_UPLOAD_MAX_BYTES),
		publicMaxFiles: e.PUBLIC_UPLOAD_MAX_FILES,
		staffMaxBytes: e.STAFF_UPLOAD_MAX_BYTES,
		staffMaxFileBytes: Math.min(e.STAFF_UPLOAD_MAX_FILE_BYTES, e.STAFF_UPLOAD_MAX_BYTES),
		staffMaxFiles: e.STAFF_UPLOAD_MAX_FILES,
		/** Detected (magic-byte) MIME types accepted; null = the built-in list. */
		allowedTypes: e.UPLOAD_ALLOWED_TYPES?.trim()
			? e.UPLOAD_ALLOWED_TYPES.split(',')
					.map((t) => t.trim().toLowerCase())
					.filter(Boolean)
			: null,
		imageMaxPixels: e.UPLOAD_IMAGE_MAX_PIXELS,
		thumbnailLeaseMs: e.THUMBNAIL_LEASE_SEC * 1000,
		tokenDailyBytes: e.UPLOAD_TOKEN_DAILY_BYTES,
		tokenPerHour: e.UPLOAD_TOKEN_PER_HOUR,
		clientDailyBytes: e.UPLOAD_CLIENT_DAILY_BYTES,
		orphanGraceMin: e.UPLOAD_ORPHAN_GRACE_MIN
	};
}

/** Docs and suggestions. */
export const docsEnv = z.object({
	/** Folder of Markdown docs, one sub-folder per project key. */
	DOCS_DIR: z.string().default('./content/docs'),
	/** Suggestion searches per client per minute (0 = no limit). */
	DOCS_SUGGEST_PER_MINUTE: int('DOCS_SUGGEST_PER_MINUTE', 120),
	/** "This answered my question" clicks per client per hour (0 = no limit). */
	DOCS_DEFLECT_PER_HOUR: int('DOCS_DEFLECT_PER_HOUR', 20)
});

/** The docs folder and the suggestion and deflection limits. */
export function docsConfig(e: z.infer<typeof docsEnv>) {
	return {
		dir: resolve(e.DOCS_DIR),
		suggestPerMinute: e.DOCS_SUGGEST_PER_MINUTE,
		deflectPerHour: e.DOCS_DEFLECT_PER_HOUR
	};
}
