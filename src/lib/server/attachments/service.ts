import type { UploadLimits } from '$lib/shared/attachment-limits';
import type { Config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import type { Logger } from '$lib/server/log';
import type { Limiters } from '$lib/server/rate-limit';
import { DEFAULT_ALLOWED_TYPES } from './detect';
import type { ImageQueue } from './images';
import { receive, type Scope } from './receive';
import type { Policy } from './stage';
import type { AttachmentStorage } from './storage';
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

export interface UploadsOptions {
	config: Config;
	db: Db;
	log: Logger;
	storage: AttachmentStorage;
	images: ImageQueue;
	/** Replies with files per thread link per hour (`replyUploads`). */
	limiter: Limiters<'replyUploads'>;
}

/**
 * The upload service: storage, the public and staff policies, the image queue and the per-link
 * limiter, put together by the app container at start (nothing here builds them).
 */
export function createUploads(o: UploadsOptions) {
	const service = {
		...o,
		policy: policyOf(o.config),
		staffPolicy: policyOf(o.config, 'staff'),
		/** Takes the files of a form post (see `receive`). */
		receive: (formData: FormData, scope: Scope) => receive(service, formData, scope)
	};
	return service;
}

export type Uploads = ReturnType<typeof createUploads>;

/**
 * Removes files no row references (left by a crash between write and commit) that are older
 * than `graceMs`, so a file an upload in flight has just written is never taken.
 */
export async function sweepOrphans(u: Pick<Uploads, 'db' | 'storage' | 'log'>, graceMs: number) {
	try {
		const removed = await sweep(u.db, u.storage, graceMs);
		if (removed) u.log.info({ removed }, 'removed orphan attachment files');
	} catch (err) {
		u.log.warn({ err }, 'attachment sweep failed');
	}
}
