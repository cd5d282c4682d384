import type { Tx } from '$lib/server/db';
import type { ImageQueue } from './images';
import * as quota from './quota';
import { insert, type Target } from './rows';
import { discard, type Refusal, type Staged } from './stage';
import type { AttachmentStorage } from './storage';

/** Waiting images up to which an upload's answer does not wait for its thumbnails. */
export const BACKLOG_MAX = 8;

/** Called by the create/reply transaction (their `within` hook) once the ticket/message exists. */
export type Within = (tx: Tx, target: Target) => Promise<void>;

export interface CommitDeps {
	storage: AttachmentStorage;
	images?: Pick<ImageQueue, 'enqueue' | 'lease'> & Partial<Pick<ImageQueue, 'busy' | 'backlog'>>;
	/**
	 * How long to wait for thumbnails before answering anyway (they finish in the background).
	 * When the worker is free (the thread page then shows the thumbnail) and when the queue is
	 * long (so uploads cannot outrun the worker and pile up); behind a short queue the answer does
	 * not wait at all.
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
	if (images.length && deps.images?.busy?.() && (deps.images.backlog?.() ?? 0) < BACKLOG_MAX) {
		void deps.images.enqueue(images);
	} else if (images.length && deps.images) {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const waited = new Promise((r) => (timer = setTimeout(r, deps.waitForImagesMs ?? 3000)));
		await Promise.race([deps.images.enqueue(images), waited]);
		clearTimeout(timer);
	}
	return { ok: true, value, ids };
}
