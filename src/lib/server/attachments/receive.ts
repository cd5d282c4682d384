import { m } from '$lib/paraglide/messages.js';
import type { Config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import { retryIn, type Limiters } from '$lib/server/rate-limit';
import { commitStaged, type Within } from './commit';
import type { ImageQueue } from './images';
import * as quota from './quota';
import { filesFrom, stage, type Policy, type Refusal, type Staged } from './stage';
import type { AttachmentStorage } from './storage';

/**
 * Whose allowance an upload counts against. `staff`: a signed-in staff member's reply or note,
 * held to the staff limits, with no per-link rate limit or daily quota.
 */
export type Scope =
	| { kind: 'reply'; /** The thread link's recipient public id. */ recipient: string }
	| { kind: 'create'; clientKey: string }
	| { kind: 'staff' };

export interface Upload {
	ok: true;
	/** How many files were received. */
	count: number;
	/**
	 * Runs `store` (which must call `within` inside its transaction) and finishes the upload:
	 * on failure the written files are removed; after the commit images are processed.
	 */
	commit<T>(store: (within: Within) => Promise<T>): Promise<{ ok: true; value: T } | Refusal>;
}

/** What `receive` works with: the app's upload service (attachments/service.ts). */
export interface UploadDeps {
	config: Config;
	db: Db;
	storage: AttachmentStorage;
	images: ImageQueue;
	/** Replies with files per thread link per hour. */
	limiter: Limiters<'replyUploads'>;
	policy: Policy;
	staffPolicy: Policy;
}

/** The daily byte allowance an upload counts against; staff uploads have none. */
function quotaOf(config: Config, scope: Scope): quota.QuotaKey | null {
	if (scope.kind === 'staff') return null;
	if (scope.kind === 'reply')
		return {
			key: `token:${scope.recipient}`,
			limit: config.uploads.tokenDailyBytes,
			owner: 'link'
		};
	return {
		key: `client:${scope.clientKey}`,
		limit: config.uploads.clientDailyBytes,
		owner: 'network'
	};
}

/**
 * Takes the files of a form post: limits, per-token rate limit (public replies), daily byte
 * quota (public), then writes and flushes them. Refusals carry a status and a sentence for the form.
 */
export async function receive(
	u: UploadDeps,
	formData: FormData,
	scope: Scope
): Promise<Upload | Refusal> {
	const files = filesFrom(formData);
	const q = quotaOf(u.config, scope);
	if (files.length && scope.kind === 'reply') {
		const limited = await u.limiter.take('replyUploads', scope.recipient);
		if (!limited.ok) {
			const message = m.form_upload_reply_rate({ retry: retryIn(limited.retryAfterSec) });
			return { ok: false, status: 429, message, retryAfterSec: limited.retryAfterSec };
		}
	}
	const over =
		q &&
		(await quota.check(
			u.db,
			q,
			files.reduce((n, f) => n + f.size, 0)
		));
	if (over) return over;
	const policy = scope.kind === 'staff' ? u.staffPolicy : u.policy;
	const result = files.length
		? await stage(u.storage, files, policy)
		: ({ ok: true, staged: [] as Staged[] } as const);
	if (!result.ok) return result;
	return {
		ok: true,
		count: result.staged.length,
		commit: (store) =>
			commitStaged({ storage: u.storage, images: u.images }, result.staged, q, store)
	};
}
