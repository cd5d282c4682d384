import { retryIn } from '$lib/server/rate-limit';
import { commitStaged, type Within } from './commit';
import * as quota from './quota';
import { uploads } from './service';
import { filesFrom, stage, type Refusal, type Staged } from './stage';

/** Whose allowance a public upload counts against. */
export type Scope =
	| { kind: 'reply'; /** The thread link's recipient public id. */ recipient: string }
	| { kind: 'create'; clientKey: string };

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

/**
 * Takes the files of a public form post: limits, per-token rate limit (replies), daily byte
 * quota, then writes and flushes them. Refusals carry a status and a sentence for the form.
 */
export async function receive(formData: FormData, scope: Scope): Promise<Upload | Refusal> {
	const u = uploads();
	const files = filesFrom(formData);
	const q: quota.QuotaKey =
		scope.kind === 'reply'
			? {
					key: `token:${scope.recipient}`,
					limit: u.config.uploads.tokenDailyBytes,
					owner: 'this ticket link'
				}
			: {
					key: `client:${scope.clientKey}`,
					limit: u.config.uploads.clientDailyBytes,
					owner: 'your network'
				};
	if (files.length && scope.kind === 'reply') {
		const limited = await u.limiter.take('replyUploads', scope.recipient);
		if (!limited.ok) {
			const message = `This ticket link has sent many files in the last hour. ${retryIn(limited.retryAfterSec)} You can still reply without files.`;
			return { ok: false, status: 429, message, retryAfterSec: limited.retryAfterSec };
		}
	}
	const over = await quota.check(
		u.db,
		q,
		files.reduce((n, f) => n + f.size, 0)
	);
	if (over) return over;
	const result = files.length
		? await stage(u.storage, files, u.policy)
		: ({ ok: true, staged: [] as Staged[] } as const);
	if (!result.ok) return result;
	const staged = result.staged;
	return {
		ok: true,
		count: result.staged.length,
		commit: (store) =>
			commitStaged({ storage: u.storage, images: u.images }, result.staged, q, store)
	};
}
