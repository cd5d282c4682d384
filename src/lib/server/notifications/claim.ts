import type { Db } from '$lib/server/db';
import { dialectOf } from '$lib/server/db/dialect';
import { claimDue as claimLeased, workerId } from '$lib/server/db/lease';
import type { OutboundEmail } from '$lib/server/db/schema';

/** A name for this process's outbox worker, stored in claimed_by (for operators reading rows). */
export { workerId };

/**
 * Claims up to `limit` due rows for `worker` until `now + leaseMs`, in one transaction: pending,
 * due, and not under another worker's live lease. Workers on several instances never claim the
 * same row at once; a row whose lease ran out (its worker died mid-send) is claimed again.
 */
export async function claimDue(
	db: Db,
	worker: string,
	options: { now: number; leaseMs: number; limit: number }
): Promise<OutboundEmail[]> {
	return claimLeased(db, 'outbound_emails', worker, options, (eb) =>
		eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', options.now)])
	);
}

/**
 * Extends this worker's lease on one claimed row just before sending it; false when the lease
 * ran out and another worker claimed the row meanwhile (or it was settled), so it is not sent
 * twice. A batch may take longer than one lease; a single mail must not.
 */
export async function renewLease(
	db: Db,
	worker: string,
	id: number,
	leaseMs: number
): Promise<boolean> {
	const r = await db
		.updateTable('outbound_emails')
		.set({ lease_until: Date.now() + leaseMs })
		.where('id', '=', id)
		.where('claimed_by', '=', worker)
		.where('status', '=', 'pending')
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

/** Cleared with every outcome (sent, failed, retry later, cancelled). */
export const released = { claimed_by: null, lease_until: null } as const;

/** SQLite (one process per database): drops every claim, left by a run that crashed. */
export async function releaseAfterCrash(db: Db): Promise<void> {
	if (dialectOf(db) !== 'sqlite') return;
	await db
		.updateTable('outbound_emails')
		.set(released)
		.where('claimed_by', 'is not', null)
		.where('status', '=', 'pending')
		.execute();
}
