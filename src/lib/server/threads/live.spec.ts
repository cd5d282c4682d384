import { describe, expect, it } from 'vitest';
import { addRecipient, makeTicket } from '$lib/server/test/factories';
import { openThread as open, threadToken, type LinkHolder } from '$lib/server/test/threads';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as threads from './index';

// The thread page's poll: what changed since a cursor, and the poll's own token lookup.
const { db } = testDb();

// The poll endpoint reads its marks with the token lookup (findForPoll); every other caller asks
// changesSince with statements of its own. Both must give the same answers.
describe.each([
	{
		way: 'statements of its own',
		since: async (r: LinkHolder, cursor: string) =>
			threads.changesSince(db, (await open(db, r))!, threads.decodeCursor(cursor)!)
	},
	{
		way: 'the poll marks of findForPoll',
		since: async (r: LinkHolder, cursor: string) => {
			const c = threads.decodeCursor(cursor)!;
			const found = (await threads.findForPoll(db, TEST_SECRET, threadToken(r), c.lastId))!;
			return threads.changesSince(db, found.thread, c, found.marks);
		}
	}
])('threads.changesSince (polling) with $way', ({ since }) => {
	it('answers nothing when nothing changed, then exactly the new messages and status', async () => {
		const { ticket, reporter } = await makeTicket(db);
		const cc = await addRecipient(db, ticket.id, `cc-${reporter.public_id}@example.com`, 'Carla');
		const ccThread = (await open(db, cc))!;
		const start = threads.cursorOf(ccThread, await threads.conversation(db, ccThread));
		expect(start).not.toMatch(new RegExp(`\\b${ticket.id}\\b`));
		expect(await since(cc, start)).toBeUndefined();

		await threads.reply(db, (await open(db, reporter))!, { body: 'first' });
		await threads.reply(db, (await open(db, reporter))!, { body: 'second' });
		const changes = await since(cc, start);
		expect(changes?.messages.map((m) => m.body)).toEqual(['first', 'second']);
		expect(await since(cc, changes!.cursor)).toBeUndefined();

		// A status change without a message still reaches the page.
		await db
			.updateTable('tickets')
			.set({ status: 'waiting' })
			.where('id', '=', ticket.id)
			.execute();
		const status = await since(cc, changes!.cursor);
		expect(status).toMatchObject({ status: 'waiting', messages: [] });
		expect(await since(cc, status!.cursor)).toBeUndefined();
	});

	it('never returns internal notes and survives the cursor message being deleted', async () => {
		const { ticket, reporter } = await makeTicket(db);
		const thread = (await open(db, reporter))!;
		const { message } = await threads.reply(db, thread, { body: 'one' }, 5000);
		const cursor = threads.cursorOf(thread, await threads.conversation(db, thread));
		await db
			.insertInto('messages')
			.values({
				public_id: `internal${reporter.public_id}`.slice(0, 16),
				ticket_id: ticket.id,
				visibility: 'internal',
				body: 'secret',
				event: null,
				created_at: 6000
			})
			.execute();
		expect(await since(reporter, cursor)).toBeUndefined();
		await threads.reply(db, thread, { body: 'two' }, 7000);
		await db.deleteFrom('messages').where('id', '=', message.id).execute();
		const changes = await since(reporter, cursor);
		expect(changes?.messages.map((m) => m.body)).toEqual(['two']);
		// The cursor's message gone and nothing after it: nothing new (its time is the guide).
		expect(await since(reporter, changes!.cursor)).toBeUndefined();
		await db.deleteFrom('messages').where('body', '=', 'two').execute();
		expect(await since(reporter, changes!.cursor)).toBeUndefined();
	});

	it("starts from an empty conversation and never reads another ticket's messages", async () => {
		const { ticket, reporter } = await makeTicket(db);
		await db.deleteFrom('messages').where('ticket_id', '=', ticket.id).execute();
		const other = await makeTicket(db);
		const elsewhere = (await open(db, other.reporter))!;
		await threads.reply(db, elsewhere, { body: 'elsewhere' });
		const empty = threads.cursorOf((await open(db, reporter))!, []);
		expect(await since(reporter, empty)).toBeUndefined();
		// A cursor naming another ticket's message names nothing here.
		const foreign = threads.cursorOf(elsewhere, await threads.conversation(db, elsewhere));
		expect(foreign).toMatch(/^open\.[0-9a-z]+\.[a-z2-7]{16}$/);
		expect(await since(reporter, foreign)).toBeUndefined();
		await threads.reply(db, (await open(db, reporter))!, { body: 'hello' });
		expect((await since(reporter, empty))?.messages.map((m) => m.body)).toEqual(['hello']);
		expect((await since(reporter, foreign))?.messages.map((m) => m.body)).toEqual(['hello']);
	});
});

describe('threads.findForPoll', () => {
	it('opens the link findByToken opens, and nothing for a wrong, re-issued or revoked token', async () => {
		const { reporter } = await makeTicket(db);
		await threads.reply(db, (await open(db, reporter))!, { body: 'hello' });
		const found = await threads.findForPoll(db, TEST_SECRET, threadToken(reporter), null);
		const thread = (await open(db, reporter))!;
		expect(found?.thread).toStrictEqual({
			recipient: { id: thread.recipient.id },
			ticket: { id: thread.ticket.id, status: thread.ticket.status }
		});
		expect(found?.marks.cursorId).toBeNull();
		expect(found?.marks.latestId).toEqual(expect.any(Number));
		const wrong = threadToken({ ...reporter, token_version: reporter.token_version + 1 });
		expect(await threads.findForPoll(db, TEST_SECRET, wrong, null)).toBeUndefined();
		expect(await threads.findForPoll(db, TEST_SECRET, 'garbage', null)).toBeUndefined();
		await db
			.updateTable('ticket_recipients')
			.set({ revoked_at: Date.now() })
			.where('id', '=', reporter.id)
			.execute();
		expect(await threads.findForPoll(db, TEST_SECRET, threadToken(reporter), null)).toBeUndefined();
	});
});

describe('threads cursors', () => {
	it('refuses malformed cursors', () => {
		for (const bad of [
			'',
			'42',
			'open.1.',
			'open.zz.ABCDEFGHIJKLMNOP',
			'closed.1.abcdefghijklmnop'
		]) {
			expect(threads.decodeCursor(bad), bad).toBeNull();
		}
		expect(threads.decodeCursor('open.0.')).toEqual({ status: 'open', lastAt: 0, lastId: null });
	});
});
