import type { Conn, Db } from '$lib/server/db';
import type { CsatRoundsTable, Recipient, Ticket } from '$lib/server/db/schema';
import { cleanText } from '$lib/shared/clean-text';

/**
 * "Did this solve it?" after a resolve. Each resolve of a ticket in a project that asks opens a
 * round (one row); the reporter may answer, and change the answer, while the ticket stays
 * resolved by that resolve. A reopen ends the round (resolved_at no longer matches); the next
 * resolve opens a new one. Only answered rounds count; "no answer" is neither solved nor not.
 */

export type Answer = 'solved' | 'not_solved';
export const ANSWERS: readonly Answer[] = ['solved', 'not_solved'];
/** Longest comment kept (characters). */
export const COMMENT_MAX = 2000;

/** Opens a round for a resolve at `now` (the ticket's new resolved_at), if the project asks. */
export async function startRound(tx: Conn, ticketId: number, now: number): Promise<void> {
	const t = await tx
		.selectFrom('tickets')
		.innerJoin('projects', 'projects.id', 'tickets.project_id')
		.select(['tickets.project_id', 'projects.csat_enabled'])
		.where('tickets.id', '=', ticketId)
		.executeTakeFirstOrThrow();
	if (t.csat_enabled !== 1) return;
	await tx
		.insertInto('csat_rounds')
		.values({ ticket_id: ticketId, project_id: t.project_id, started_at: now })
		.onConflict((oc) => oc.columns(['ticket_id', 'started_at']).doNothing())
		.execute();
}

export interface OpenRound {
	answer: Answer | null;
	comment: string | null;
}

/** The round the reporter may answer now, or null (not resolved, reopened, project does not ask). */
export async function openRound(
	db: Conn,
	ticket: Pick<Ticket, 'id' | 'status' | 'resolved_at'>
): Promise<OpenRound | null> {
	if (ticket.status !== 'resolved' || ticket.resolved_at === null) return null;
	const row = await db
		.selectFrom('csat_rounds')
		.innerJoin('projects', 'projects.id', 'csat_rounds.project_id')
		.select(['csat_rounds.answer', 'csat_rounds.comment'])
		.where('csat_rounds.ticket_id', '=', ticket.id)
		.where('csat_rounds.started_at', '=', ticket.resolved_at)
		.where('projects.csat_enabled', '=', 1)
		.executeTakeFirst();
	return row ?? null;
}

export type AnswerOutcome = { ok: true } | { ok: false; reason: 'not_reporter' | 'closed' };

/**
 * Records the reporter's answer in the open round (the latest answer wins). Anyone else, or a
 * ticket that is no longer resolved by the round's resolve, is refused and nothing changes.
 */
export async function answer(
	db: Db,
	who: { ticket: Pick<Ticket, 'id'>; recipient: Pick<Recipient, 'role'> },
	input: { answer: Answer; comment?: string | null },
	now = Date.now()
): Promise<AnswerOutcome> {
	if (who.recipient.role !== 'reporter') return { ok: false, reason: 'not_reporter' };
	const comment = cleanText(input.comment ?? '')
		.trim()
		.slice(0, COMMENT_MAX);
	// One statement: the round must still be the open one when the answer lands.
	const ticket = db
		.selectFrom('tickets')
		.select('resolved_at')
		.where('id', '=', who.ticket.id)
		.where('status', '=', 'resolved');
	const res = await db
		.updateTable('csat_rounds')
		.set({ answer: input.answer, comment: comment || null, answered_at: now })
		.where('ticket_id', '=', who.ticket.id)
		.where('started_at', '=', ticket)
		.where('project_id', 'in', db.selectFrom('projects').select('id').where('csat_enabled', '=', 1))
		.executeTakeFirst();
	return Number(res.numUpdatedRows) === 1 ? { ok: true } : { ok: false, reason: 'closed' };
}

export type Round = Pick<CsatRoundsTable, 'answer' | 'comment'> & {
	startedAt: number;
	answeredAt: number | null;
};

/** Every round of a ticket, newest first (staff ticket page). */
export async function roundsOf(db: Conn, ticketId: number): Promise<Round[]> {
	const rows = await db
		.selectFrom('csat_rounds')
		.select(['started_at', 'answer', 'comment', 'answered_at'])
		.where('ticket_id', '=', ticketId)
		.orderBy('started_at', 'desc')
		.execute();
	return rows.map((r) => ({
		startedAt: r.started_at,
		answer: r.answer,
		comment: r.comment,
		answeredAt: r.answered_at
	}));
}

export interface Report {
	solved: number;
	notSolved: number;
	/** solved ÷ answers, null when nobody answered. */
	share: number | null;
	/** Resolves in the period nobody answered (shown, counted as neither). */
	unanswered: number;
	comments: {
		ticketId: number;
		title: string;
		project: string;
		answer: Answer;
		comment: string;
		answeredAt: number;
	}[];
}

/**
 * Answers given in [from, to) (by answer time), per project or for all: counts, the share of
 * "solved" among them and the comments, newest first (at most `limit`).
 */
export async function report(
	db: Db,
	input: { projectId: number | null; from: number; to: number; limit?: number }
): Promise<Report> {
	let counts = db
		.selectFrom('csat_rounds')
		.select(['answer', (eb) => eb.fn.countAll<number>().as('n')])
		.where('answered_at', '>=', input.from)
		.where('answered_at', '<', input.to)
		.where('answer', 'is not', null)
		.groupBy('answer');
	let unanswered = db
		.selectFrom('csat_rounds')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('answer', 'is', null)
		.where('started_at', '>=', input.from)
		.where('started_at', '<', input.to);
	let comments = db
		.selectFrom('csat_rounds')
		.innerJoin('tickets', 'tickets.id', 'csat_rounds.ticket_id')
		.innerJoin('projects', 'projects.id', 'csat_rounds.project_id')
		.select([
			'csat_rounds.ticket_id',
			'tickets.title',
			'projects.name as project',
			'csat_rounds.answer',
			'csat_rounds.comment',
			'csat_rounds.answered_at'
		])
		.where('csat_rounds.answered_at', '>=', input.from)
		.where('csat_rounds.answered_at', '<', input.to)
		.where('csat_rounds.comment', 'is not', null)
		.orderBy('csat_rounds.answered_at', 'desc')
		.orderBy('csat_rounds.id', 'desc')
		.limit(input.limit ?? 200);
	if (input.projectId !== null) {
		counts = counts.where('project_id', '=', input.projectId);
		unanswered = unanswered.where('project_id', '=', input.projectId);
		comments = comments.where('csat_rounds.project_id', '=', input.projectId);
	}
	const byAnswer = new Map((await counts.execute()).map((r) => [r.answer, Number(r.n)]));
	const solved = byAnswer.get('solved') ?? 0;
	const notSolved = byAnswer.get('not_solved') ?? 0;
	return {
		solved,
		notSolved,
		share: solved + notSolved > 0 ? solved / (solved + notSolved) : null,
		unanswered: Number((await unanswered.executeTakeFirstOrThrow()).n),
		comments: (await comments.execute()).map((r) => ({
			ticketId: r.ticket_id,
			title: r.title,
			project: r.project,
			answer: r.answer as Answer,
			comment: r.comment ?? '',
			answeredAt: r.answered_at ?? 0
		}))
	};
}
