// Work rows shared by several instances (mail in the outbox, images to process): a row belongs
// to one worker at a time, named in claimed_by, until lease_until runs out.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Expression, ExpressionBuilder, Selectable, SqlBool } from 'kysely';
import { skipLocked } from './dialect';
import type { Db } from './index';
import type { DB } from './schema';

/** The tables whose rows workers claim with a lease. */
export type LeasedTable = 'outbound_emails' | 'attachments';

/** A name for this process's worker, stored in claimed_by (for operators reading rows). */
export function workerId(): string {
	return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Claims up to `limit` rows of `table` that are `waiting` and not under another worker's live
 * lease for `worker` until `now + leaseMs`, in one transaction. Workers on several instances
 * never claim the same row at once (`FOR UPDATE SKIP LOCKED` on PostgreSQL); a row whose worker
 * died is claimed again once its lease ran out. Returns the claimed rows, oldest first.
 */
export async function claimDue<T extends LeasedTable>(
	db: Db,
	table: T,
	worker: string,
	options: { now: number; leaseMs: number; limit: number },
	waiting: (eb: ExpressionBuilder<DB, T>) => Expression<SqlBool>
): Promise<Selectable<DB[T]>[]> {
	const { now, leaseMs, limit } = options;
	// One concrete table for the query builder's types: both have the id and lease columns.
	const t = table as LeasedTable as 'attachments';
	const isWaiting = waiting as unknown as (
		eb: ExpressionBuilder<DB, 'attachments'>
	) => Expression<SqlBool>;
	return db.transaction().execute(async (tx) => {
		const due = await skipLocked(
			tx,
			tx
				.selectFrom(t)
				.select('id')
				.where(isWaiting)
				.where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
				.orderBy('id')
				.limit(limit)
		).execute();
		if (!due.length) return [];
		const rows = await tx
			.updateTable(t)
			.set({ claimed_by: worker, lease_until: now + leaseMs })
			.where(
				'id',
				'in',
				due.map((r) => r.id)
			)
			.returningAll()
			.execute();
		return rows.sort((a, b) => a.id - b.id) as unknown as Selectable<DB[T]>[];
	});
}
