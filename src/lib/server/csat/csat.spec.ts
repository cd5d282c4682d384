import { describe, expect, it } from 'vitest';
import * as staff from '$lib/server/staff';
import * as threads from '$lib/server/threads';
import { addRecipient, makeProject, makeTicket } from '$lib/server/test/factories';
import { makeAgent } from '$lib/server/test/staff-agent';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { splitToken } from '$lib/server/tokens';
import * as csat from './index';

const { db } = testDb();

const ticketRow = (id: number) =>
	db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function resolved(projectId?: number, at = 1_000_000) {
	const made = await makeTicket(db, projectId ? { projectId } : {});
	const me = await makeAgent(db);
	await staff.setStatus(db, { ticketId: made.ticket.id, actor: me, status: 'resolved' }, at);
	return { ...made, me };
}

describe('csat rounds', () => {
	it('a resolve opens a round the reporter answers; the latest answer wins; others are refused', async () => {
		const { ticket, reporter } = await resolved();
		const cc = await addRecipient(db, ticket.id, 'cc@example.com');
		expect(await csat.openRound(db, await ticketRow(ticket.id))).toEqual({
			answer: null,
			comment: null
		});
		const who = { ticket, recipient: reporter };
		expect(
			await csat.answer(db, who, { answer: 'not_solved', comment: ' Still \u0000broken ' })
		).toEqual({
			ok: true
		});
		expect(await csat.answer(db, who, { answer: 'solved' })).toEqual({ ok: true });
		expect(await csat.answer(db, { ticket, recipient: cc }, { answer: 'not_solved' })).toEqual({
			ok: false,
			reason: 'not_reporter'
		});
		expect(await csat.openRound(db, await ticketRow(ticket.id))).toEqual({
			answer: 'solved',
			comment: null
		});
		expect(await csat.roundsOf(db, ticket.id)).toHaveLength(1);
	});

	it('a reopen ends the round (answers refused) and the next resolve starts a new one', async () => {
		const { ticket, reporter, me } = await resolved(undefined, 2_000_000);
		await csat.answer(
			db,
			{ ticket, recipient: reporter },
			{ answer: 'not_solved', comment: 'No' },
			2_000_100
		);
		const thread = (await threads.findByToken(
			db,
			TEST_SECRET,
			splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version)
		))!;
		await threads.reply(db, thread, { body: 'Still broken' }, 2_000_200);
		expect(await csat.openRound(db, await ticketRow(ticket.id))).toBeNull();
		expect(await csat.answer(db, { ticket, recipient: reporter }, { answer: 'solved' })).toEqual({
			ok: false,
			reason: 'closed'
		});
		await staff.setStatus(db, { ticketId: ticket.id, actor: me, status: 'resolved' }, 2_000_300);
		expect(await csat.openRound(db, await ticketRow(ticket.id))).toEqual({
			answer: null,
			comment: null
		});
		await csat.answer(db, { ticket, recipient: reporter }, { answer: 'solved' }, 2_000_400);
		const rounds = await csat.roundsOf(db, ticket.id);
		expect(rounds.map((r) => [r.startedAt, r.answer, r.comment])).toEqual([
			[2_000_300, 'solved', null],
			[2_000_000, 'not_solved', 'No']
		]);
	});

	it('a project that does not ask opens no round', async () => {
		const project = await makeProject(db);
		await db
			.updateTable('projects')
			.set({ csat_enabled: 0 })
			.where('id', '=', project.id)
			.execute();
		const { ticket, reporter } = await resolved(project.id);
		expect(await csat.openRound(db, await ticketRow(ticket.id))).toBeNull();
		expect(await csat.answer(db, { ticket, recipient: reporter }, { answer: 'solved' })).toEqual({
			ok: false,
			reason: 'closed'
		});
	});
});

describe('csat.report', () => {
	it('counts answers in the period per project; no answer counts as neither', async () => {
		const project = await makeProject(db);
		const other = await makeProject(db);
		const answers: [number, csat.Answer | null, string | null, number][] = [
			[project.id, 'solved', 'Thanks!', 5_000_100],
			[project.id, 'solved', null, 5_000_200],
			[project.id, 'not_solved', 'Still slow', 5_000_300],
			[project.id, null, null, 0],
			[project.id, 'solved', null, 9_000_000], // outside the period
			[other.id, 'not_solved', 'Other project', 5_000_400]
		];
		for (const [projectId, a, comment, at] of answers) {
			const { ticket, reporter } = await resolved(projectId, 5_000_000);
			if (a) await csat.answer(db, { ticket, recipient: reporter }, { answer: a, comment }, at);
		}
		const r = await csat.report(db, { projectId: project.id, from: 5_000_000, to: 6_000_000 });
		expect(r).toMatchObject({ solved: 2, notSolved: 1, unanswered: 1 });
		expect(r.share).toBeCloseTo(2 / 3);
		expect(r.comments.map((c) => [c.answer, c.comment])).toEqual([
			['not_solved', 'Still slow'],
			['solved', 'Thanks!']
		]);
		const all = await csat.report(db, { projectId: null, from: 5_000_000, to: 6_000_000 });
		expect(all).toMatchObject({ solved: 2, notSolved: 2 });
		const none = await csat.report(db, { projectId: project.id, from: 0, to: 1 });
		expect(none).toMatchObject({ solved: 0, notSolved: 0, share: null, comments: [] });
	});
});
