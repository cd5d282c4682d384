import * as threads from '$lib/server/threads';
import * as staff from '$lib/server/staff';
import { createComposer } from '$lib/server/notifications';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { makeAgent } from '$lib/server/test/staff-agent';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { describe, expect, it } from 'vitest';
import { closeDue, DAY_MS } from './auto-close';

const { db } = testDb();
const compose = createComposer({
	origin: 'http://localhost:3000',
	mailFrom: 'help@example.com',
	secret: TEST_SECRET
});

async function waitingTicket(projectId: number, idleDays: number) {
	const made = await makeTicket(db, { projectId });
	const me = await makeAgent(db);
	await staff.setStatus(db, { ticketId: made.ticket.id, actor: me, status: 'waiting' });
	await db
		.updateTable('tickets')
		.set({ last_activity_at: Date.now() - idleDays * DAY_MS })
		.where('id', '=', made.ticket.id)
		.execute();
	return made;
}

const notices = (ticketId: number) =>
	db
		.selectFrom('outbound_emails')
		.selectAll()
		.where('ticket_id', '=', ticketId)
		.where('kind', '=', 'auto_closed')
		.execute();

describe('auto-close', () => {
	it('resolves tickets waiting past the setting once, mails the reporter once, and a reply reopens', async () => {
		const p = await makeProject(db);
		await db.updateTable('projects').set({ auto_close_days: 3 }).where('id', '=', p.id).execute();
		const old = await waitingTicket(p.id, 4);
		const recent = await waitingTicket(p.id, 2);
		const open = await makeTicket(db, { projectId: p.id });
		await db
			.updateTable('tickets')
			.set({ last_activity_at: Date.now() - 10 * DAY_MS })
			.where('id', '=', open.ticket.id)
			.execute();
		// Another project with the setting off.
		const off = await waitingTicket((await makeProject(db)).id, 30);

		// Two instances running the job at the same moment close each ticket once.
		const [a, b] = await Promise.all([closeDue(db), closeDue(db)]);
		expect([...a, ...b]).toEqual([old.ticket.id]);
		expect(await closeDue(db)).toEqual([]);

		const status = async (id: number) =>
			(
				await db
					.selectFrom('tickets')
					.select('status')
					.where('id', '=', id)
					.executeTakeFirstOrThrow()
			).status;
		expect(await status(old.ticket.id)).toBe('resolved');
		expect(await status(recent.ticket.id)).toBe('waiting');
		expect(await status(open.ticket.id)).toBe('open');
		expect(await status(off.ticket.id)).toBe('waiting');

		const rows = await notices(old.ticket.id);
		expect(rows).toHaveLength(1);
		expect(rows[0].recipient_id).toBe(old.reporter.id);
		const mail = await compose(db, rows[0]);
		expect(mail && 'text' in mail ? mail.text : '').toContain(
			'because we did not hear back from you'
		);
		expect(mail && 'text' in mail ? mail.text : '').toContain('reply on the ticket page');

		// The reporter answers: the ticket is open again (the existing reopen path).
		const recipient = await db
			.selectFrom('ticket_recipients')
			.selectAll()
			.where('id', '=', old.reporter.id)
			.executeTakeFirstOrThrow();
		const r = await threads.reply(db, await threads.threadOf(db, recipient), {
			body: 'Still broken'
		});
		expect(r.reopened).toBe(true);
		expect(await status(old.ticket.id)).toBe('open');
		expect(await closeDue(db)).toEqual([]);
	});
});
