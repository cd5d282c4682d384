import type { UploadLimits } from '$lib/shared/attachment-limits';
import { app } from '$lib/server/app';
import type { Config } from '$lib/server/config';
import { createLimiters } from '$lib/server/rate-limit';
import { DEFAULT_ALLOWED_TYPES } from './detect';
import { createImageQueue } from './images';
import type { Policy } from './stage';
import { localStorage } from './storage';
import { sweep } from './sweep';

/** The public form's limits (shown and checked in the browser, checked again on the server). */
export function publicLimits(config: Config): UploadLimits {
	const u = config.uploads;
	return {
		maxFiles: u.publicMaxFiles,
		maxFileBytes: u.publicMaxFileBytes,
		maxBytes: u.publicMaxBytes
	};
}

/** The staff dashboard's limits (replies and internal notes): larger, and no daily quota. */
export function staffLimits(config: Config): UploadLimits {
	const u = config.uploads;
	return {
		maxFiles: u.staffMaxFiles,
		maxFileBytes: u.staffMaxFileBytes,
		maxBytes: u.staffMaxBytes
	};
}

export function policyOf(config: Config, who: 'public' | 'staff' = 'public'): Policy {
	return {
		limits: who === 'staff' ? staffLimits(config) : publicLimits(config),
		allowed: new Set(config.uploads.allowedTypes ?? DEFAULT_ALLOWED_TYPES),
		maxPixels: config.uploads.imageMaxPixels
	};
}

function build() {
	const { config, db, database, log } = app();
	const storage = localStorage(config.attachmentsDir);
	return {
		config,
		db,
		log,
		storage,
		policy: policyOf(config),
		staffPolicy: policyOf(config, 'staff'),
		images: createImageQueue({ db, storage, maxPixels: config.uploads.imageMaxPixels, log }),
		limiter: createLimiters(
			{ replyUploads: { points: config.uploads.tokenPerHour, durationSec: 3600 } },
			database.sqlite
		)
	};
}

let current: ReturnType<typeof build> | undefined;

/** The running app's attachment services, built on first use. */
export function uploads() {
	return (current ??= build());
}

/**
 * Start-up work: removes files no row references (left by a crash between write and commit),
 * then resumes image processing that a restart interrupted. Runs in the background.
 */
export async function startAttachments(): Promise<void> {
	const u = uploads();
	try {
		const removed = await sweep(u.db, u.storage);
		if (removed) u.log.info({ removed }, 'removed orphan attachment files');
	} catch (err) {
		u.log.warn({ err }, 'attachment sweep failed');
	}
	void u.images.resume();
}
