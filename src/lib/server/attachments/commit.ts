import type { Tx } from '$lib/server/db';
import type { ImageQueue } from './images';
import * as quota from './quota';
import { insert, type Target } from './rows';
import { discard, type Refusal, type Staged } from './stage';
import type { AttachmentStorage } from './storage';

/** Called by the create/reply transaction (their `within` hook) once the ticket/message exists. */
export type Within = (tx: Tx, target: Target) => Promise<void>;

export interface CommitDeps {
	storage: AttachmentStorage;
	images?: Pick<ImageQueue, 'enqueue' | 'lease'> & Partial<Pick<ImageQueue, 'busy'>>;
	/**
	 * How long to wait for thumbnails before answering anyway (they finish in the background).
	 * Only when the queue is free: behind other uploads the answer does not wait at all.
	 */
	waitForImagesMs?: number;
}

/**
 * Runs `store` — a transaction that must call `within` — so the rows for files already written
 * and flushed are committed with the ticket or message and counted against the quota. If the
 * transaction fails, the files are removed: no rows without files, no files without rows. After
 * the commit, images are queued for their thumbnail and display copy.
 */
export async function commitStaged<T>(
	deps: CommitDeps,
	staged: Staged[],
	q: quota.QuotaKey | null,
	store: (within: Within) => Promise<T>
): Promise<{ ok: true; value: T; ids: number[] } | Refusal> {
	let ids: number[] = [];
	let value: T;
	try {
		value = await store(async (tx, target) => {
			ids = await insert(tx, staged, target, Date.now(), deps.images?.lease());
			if (q)
				await quota.add(
					tx,
					q,
					staged.reduce((n, s) => n + s.size, 0)
				);
		});
	} catch (err) {
		await discard(deps.storage, staged);
		if (err instanceof quota.QuotaExceeded) return err.refusal;
		throw err;
	}
	const images = ids.filter((_, i) => staged[i].image);
	if (images.length && deps.images && deps.images.busy?.()) {
		void deps.images.enqueue(images);
	} else if (images.length && deps.images) {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const waited = new Promise((r) => (timer = setTimeout(r, deps.waitForImagesMs ?? 3000)));
		await Promise.race([deps.images.enqueue(images), waited]);
		clearTimeout(timer);
	}
	return { ok: true, value, ids };
}
