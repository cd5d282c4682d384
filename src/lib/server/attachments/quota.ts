import { m } from '$lib/paraglide/messages.js';
import { formatBytes } from '$lib/shared/attachment-limits';
import type { Conn, Tx } from '$lib/server/db';
import { retryIn } from '$lib/server/rate-limit';
import type { Refusal } from './stage';

const DAY_MS = 86_400_000;

/** Who a daily byte quota belongs to: a thread link (replies) or a client (public create). */
export interface QuotaKey {
	key: string;
	/** Bytes per UTC day; 0 = no quota. */
	limit: number;
	/** How the refusal names the owner: "this ticket link", "your network". */
	owner: 'link' | 'network';
}

/** Thrown inside the transaction when a concurrent upload used the allowance up first. */
export class QuotaExceeded extends Error {
	constructor(readonly refusal: Refusal) {
		super(refusal.message);
	}
}

const day = (now: number) => Math.floor(now / DAY_MS);

/** Bytes already uploaded under the key today. */
export async function used(db: Conn, key: string, now = Date.now()): Promise<number> {
	const row = await db
		.selectFrom('upload_quota')
		.select(['day', 'bytes'])
		.where('key', '=', key)
		.executeTakeFirst();
	return row && row.day === day(now) ? row.bytes : 0;
}

/** A refusal when `bytes` more would exceed the key's allowance for today, else null. */
export async function check(
	db: Conn,
	q: QuotaKey,
	bytes: number,
	now = Date.now()
): Promise<Refusal | null> {
	if (q.limit <= 0 || bytes === 0) return null;
	const left = Math.max(0, q.limit - (await used(db, q.key, now)));
	if (bytes <= left) return null;
	const retryAfterSec = Math.max(1, Math.ceil(((day(now) + 1) * DAY_MS - now) / 1000));
	// In the request's language (the messages' ambient locale, as `formatBytes`).
	const allowance = m.form_quota_allowance({ size: formatBytes(q.limit) });
	const retry = retryIn(retryAfterSec);
	const full = q.owner === 'link' ? m.form_quota_full_link : m.form_quota_full_network;
	const partial = q.owner === 'link' ? m.form_quota_partial_link : m.form_quota_partial_network;
	const message =
		left === 0
			? full({ allowance, retry })
			: partial({ size: formatBytes(bytes), left: formatBytes(left), allowance, retry });
	return { ok: false, status: 413, message, retryAfterSec };
}

/**
 * Counts `bytes` against the allowance inside the transaction that stores the rows, so refused
 * or failed requests never count. Throws QuotaExceeded if the allowance ran out meanwhile.
 */
export async function add(tx: Tx, q: QuotaKey, bytes: number, now = Date.now()): Promise<void> {
	if (q.limit <= 0 || bytes === 0) return;
	const refusal = await check(tx, q, bytes, now);
	if (refusal) throw new QuotaExceeded(refusal);
	const today = day(now);
	await tx
		.insertInto('upload_quota')
		.values({ key: q.key, day: today, bytes })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet((eb) => ({
				bytes: eb
					.case()
					.when('upload_quota.day', '=', today)
					.then(eb('upload_quota.bytes', '+', bytes))
					.else(bytes)
					.end(),
				day: today
			}))
		)
		.execute();
}
