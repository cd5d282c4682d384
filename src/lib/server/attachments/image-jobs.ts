// Image jobs shared by several instances: an image whose thumbnail and display copy are still to
// be made (processed_at NULL) belongs to one worker at a time, until its lease runs out.
import type { Db } from '$lib/server/db';
import { dialectOf } from '$lib/server/db/dialect';
import { claimDue, workerId } from '$lib/server/db/lease';

/** A name for this process's image worker, stored in claimed_by (for operators reading rows). */
export const imageWorkerId = workerId;

/** The claim columns an instance sets when it inserts image rows it will process itself. */
export interface ImageClaim {
	claimed_by: string;
	lease_until: number;
}

/** Cleared once the job is done or handed back. */
export const unclaimed = { claimed_by: null, lease_until: null } as const;

/**
 * Claims up to `limit` waiting images for `worker` until `now + leaseMs`, in one transaction:
 * unprocessed and not under a live lease. Workers on several instances never claim the same
 * image at once (`FOR UPDATE SKIP LOCKED` on PostgreSQL); an image whose worker died is claimed
 * again once its lease ran out. Returns the claimed ids, oldest first.
 */
export async function claimWaiting(
	db: Db,
	worker: string,
	options: { now: number; leaseMs: number; limit: number }
): Promise<number[]> {
	if (options.limit <= 0) return [];
	const rows = await claimDue(db, 'attachments', worker, options, (eb) =>
		eb('processed_at', 'is', null)
	);
	return rows.map((r) => r.id);
}

/**
 * Claims (or extends this worker's claim on) one waiting image, unless another worker holds a
 * live lease on it or it is done. One statement: on PostgreSQL a concurrent claim of the same
 * row waits for the other's commit and then sees its lease.
 */
export async function claimOne(
	db: Db,
	worker: string,
	id: number,
	leaseMs: number,
	now = Date.now()
): Promise<boolean> {
	const r = await db
		.updateTable('attachments')
		.set({ claimed_by: worker, lease_until: now + leaseMs })
		.where('id', '=', id)
		.where('processed_at', 'is', null)
		.where((eb) =>
			eb.or([
				eb('lease_until', 'is', null),
				eb('lease_until', '<', now),
				eb('claimed_by', '=', worker)
			])
		)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

/** Extends this worker's lease while it works on an image; false once another took it over. */
export async function renewImageLease(
	db: Db,
	worker: string,
	id: number,
	leaseMs: number
): Promise<boolean> {
	const r = await db
		.updateTable('attachments')
		.set({ lease_until: Date.now() + leaseMs })
		.where('id', '=', id)
		.where('claimed_by', '=', worker)
		.where('processed_at', 'is', null)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

/** Hands images this worker claimed but will not process (it is stopping) back at once. */
export async function releaseImages(db: Db, worker: string, ids: number[]): Promise<void> {
	if (!ids.length) return;
	await db
		.updateTable('attachments')
		.set(unclaimed)
		.where('id', 'in', ids)
		.where('claimed_by', '=', worker)
		.where('processed_at', 'is', null)
		.execute();
}

/** SQLite (one process per database): drops every claim, left by a run that crashed. */
export async function releaseImagesAfterCrash(db: Db): Promise<void> {
	if (dialectOf(db) !== 'sqlite') return;
	await db
		.updateTable('attachments')
		.set(unclaimed)
		.where('processed_at', 'is', null)
		.where('claimed_by', 'is not', null)
		.execute();
}
