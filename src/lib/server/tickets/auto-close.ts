// Auto-close: per project, tickets waiting on the reporter for `auto_close_days` are resolved and
// the reporter gets a notice. Several instances may run the job at once: each ticket is closed by
// one conditional UPDATE (still waiting, still idle since before the cutoff), so exactly one
// instance's update changes the row and only that one records the event and queues the mail.
import type { Db } from '$lib/server/db';
import { transaction } from '$lib/server/db/transaction';
import * as audit from '$lib/server/audit';
import type { Logger } from '$lib/server/log';
import * as notify from '$lib/server/notifications/events';
import { addEvent } from './events';

export const DAY_MS = 86_400_000;

/**
 * Resolves one waiting ticket idle since before `cutoff`; false when it is not (any more): another
 * instance closed it, the reporter answered, or staff changed its status meanwhile.
 */
export async function closeIfIdle(
	db: Db,
	ticketId: number,
	days: number,
	now = Date.now()
): Promise<boolean> {
	const cutoff = now - days * DAY_MS;
	return transaction(db, async (tx) => {
		const r = await tx
			.updateTable('tickets')
			.set({ status: 'resolved', resolved_at: now, updated_at: now, last_activity_at: now })
			.where('id', '=', ticketId)
			.where('status', '=', 'waiting')
			.where('last_activity_at', '<', cutoff)
			.executeTakeFirst();
		if (Number(r.numUpdatedRows) !== 1) return false;
		const messageId = await addEvent(tx, { ticketId, name: 'resolved' }, now);
		await addEvent(
			tx,
			{
				ticketId,
				name: 'auto_closed',
				visibility: 'internal',
				body: `Resolved automatically: no reply from the reporter for ${days} day${days === 1 ? '' : 's'}`
			},
			now
		);
		await notify.autoClosed(tx, { ticketId, messageId });
		await audit.record(
			tx,
			{
				ticketId,
				actor: { kind: 'system', id: null },
				action: 'ticket.auto_closed',
				data: { days }
			},
			now
		);
		return true;
	});
}

/**
 * One pass: every project with auto-close on, its waiting tickets idle past the cutoff (oldest
 * first, at most `limit` per project). Returns the ids this call closed.
 */
export async function closeDue(db: Db, now = Date.now(), limit = 200): Promise<number[]> {
	const projects = await db
		.selectFrom('projects')
		.select(['id', 'auto_close_days'])
		.where('auto_close_days', 'is not', null)
		.where('auto_close_days', '>', 0)
		.execute();
	const closed: number[] = [];
	for (const p of projects) {
		const days = p.auto_close_days!;
		const due = await db
			.selectFrom('tickets')
			.select('id')
			.where('project_id', '=', p.id)
			.where('status', '=', 'waiting')
			.where('last_activity_at', '<', now - days * DAY_MS)
			.orderBy('last_activity_at')
			.limit(limit)
			.execute();
		for (const t of due) if (await closeIfIdle(db, t.id, days, now)) closed.push(t.id);
	}
	return closed;
}

/** The background job: a pass at start and every `intervalMs` (AUTO_CLOSE_INTERVAL_SEC). */
export function createAutoClose(options: { db: Db; log: Logger; intervalMs: number }) {
	let timer: NodeJS.Timeout | null = null;
	let running: Promise<void> = Promise.resolve();
	const pass = () => {
		running = running.then(async () => {
			try {
				const closed = await closeDue(options.db);
				if (closed.length) options.log.info({ tickets: closed.length }, 'auto-closed tickets');
			} catch (err) {
				options.log.error({ err }, 'auto-close pass failed');
			}
		});
	};
	return {
		start() {
			if (timer) return;
			pass();
			timer = setInterval(pass, options.intervalMs);
			timer.unref();
		},
		async stop() {
			if (timer) clearInterval(timer);
			timer = null;
			await running;
		}
	};
}

/** A project's auto-close setting: days (1–365), or null for off. */
export async function setDays(db: Db, projectId: number, days: number | null, now = Date.now()) {
	await db
		.updateTable('projects')
		.set({ auto_close_days: days, updated_at: now })
		.where('id', '=', projectId)
		.execute();
}
