import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '$lib/server/db';
import { addRecipient, makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { splitToken } from '$lib/server/tokens';
import * as threads from './index';

const { db } = testDb();

async function open(db: Db, r: { public_id: string; token_version: number }) {
	return threads.findByToken(
		db,
		TEST_SECRET,
		splitToken(TEST_SECRET, 'thread', r.public_id, r.token_version)
	);
}

async function resolvedTicketWithCc(status: 'resolved' | 'rejected' = 'resolved') {
	const { ticket, reporter } = await makeTicket(db);
	const cc = await addRecipient(db, ticket.id, `cc-${reporter.public_id}@example.com`, 'Carla');
	await db
		.updateTable('tickets')
		.set({ status, resolved_at: Date.now() })
		.where('id', '=', ticket.id)
		.execute();
	return { ticket, reporter, cc };
}

const counts = async (t: number) =>
	(
		await sql`SELECT (SELECT status FROM tickets WHERE id = ${t}) AS status,
				(SELECT count(*) FROM messages WHERE ticket_id = ${t}) AS messages,
				(SELECT count(*) FROM outbound_emails WHERE ticket_id = ${t}) AS mails,
				(SELECT count(*) FROM audit_events WHERE ticket_id = ${t}) AS audits`.execute(db)
	).rows[0];

describe('threads.reply reopening', () => {
	it('reopens a resolved ticket: status open, a Reopened event after the reply, other recipients told once', async () => {
		const { ticket, reporter, cc } = await resolvedTicketWithCc();
		const thread = (await open(db, reporter))!;
		const { reopened } = await threads.reply(db, thread, { body: 'It broke again' }, 1_000_000);
		expect(reopened).toBe(true);
		const after = await db
			.selectFrom('tickets')
			.selectAll()
			.where('id', '=', ticket.id)
			.executeTakeFirstOrThrow();
		expect(after).toMatchObject({ status: 'open', resolved_at: null, last_activity_at: 1_000_000 });

		// What the other recipient sees on their own link.
		const ccThread = (await open(db, cc))!;
		const seen = await threads.conversation(db, ccThread);
		expect(seen.map((m) => [m.from, m.body || m.event])).toEqual([
			['recipient', 'It broke again'],
			['system', 'reopened']
		]);
		const mail = await db
			.selectFrom('outbound_emails')
			.select(['kind', 'recipient_id', 'payload'])
			.where('ticket_id', '=', ticket.id)
			.execute();
		expect(
			mail
				.filter((m) => m.recipient_id === cc.id)
				.map((m) => m.kind)
				.sort()
		).toEqual(['recipient_reply']);
		// One notice that says both: the reply, and that the ticket is open again.
		expect(JSON.parse(mail.find((m) => m.recipient_id === cc.id)!.payload)).toEqual({
			reopened: true
		});
		expect(mail.some((m) => m.recipient_id === reporter.id && m.kind !== 'ticket_created')).toBe(
			false
		);
	});

	it('reopens a rejected ticket too, but leaves an open or waiting one alone', async () => {
		const rejected = await resolvedTicketWithCc('rejected');
		expect(
			(await threads.reply(db, (await open(db, rejected.reporter))!, { body: 'Please look again' }))
				.reopened
		).toBe(true);

		const waiting = await resolvedTicketWithCc();
		await db
			.updateTable('tickets')
			.set({ status: 'waiting', resolved_at: null })
			.where('id', '=', waiting.ticket.id)
			.execute();
		const { reopened } = await threads.reply(db, (await open(db, waiting.reporter))!, {
			body: 'Here is the info'
		});
		expect(reopened).toBe(false);
		expect(await counts(waiting.ticket.id)).toMatchObject({ status: 'waiting', messages: 1 });
	});

	it('is one transaction: when a later step fails, the ticket stays resolved with no reply, event or mail', async () => {
		const { ticket, reporter } = await resolvedTicketWithCc();
		const before = await counts(ticket.id);
		const thread = (await open(db, reporter))!;
		await expect(
			threads.reply(db, thread, {
				body: 'This reply fails',
				within: async () => {
					throw new Error('attachment write failed');
				}
			})
		).rejects.toThrow('attachment write failed');
		expect(await counts(ticket.id)).toEqual(before);
		expect(before).toMatchObject({ status: 'resolved', messages: 0 });
	});
});

describe('recipient-scoped links', () => {
	it('a revoked recipient link finds nothing, while the other recipients keep working', async () => {
		const { reporter, cc } = await resolvedTicketWithCc();
		await db
			.updateTable('ticket_recipients')
			.set({ revoked_at: Date.now() })
			.where('id', '=', cc.id)
			.execute();
		expect(await open(db, cc)).toBeUndefined();
		expect((await open(db, reporter))?.recipient.id).toBe(reporter.id);
	});

	it('one lookup gives the recipient, ticket and project rows whole, as each table holds them', async () => {
		const { ticket, reporter } = await makeTicket(db);
		await db
			.updateTable('tickets')
			.set({ custom_fields: '{"os":"Linux"}', resolved_at: 1_700_000_000_123 })
			.where('id', '=', ticket.id)
			.execute();
		const thread = (await open(db, reporter))!;
		const row = (table: 'ticket_recipients' | 'tickets' | 'projects', id: number) =>
			db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		// Every column, with the same values and types (numbers stay numbers on PostgreSQL too).
		expect(thread.recipient).toStrictEqual({ ...(await row('ticket_recipients', reporter.id)) });
		expect(thread.ticket).toStrictEqual({ ...(await row('tickets', ticket.id)) });
		expect(thread.project).toStrictEqual({ ...(await row('projects', ticket.project_id)) });
		expect(thread.ticket.custom_fields).toBe('{"os":"Linux"}');
		// A wrong verifier or an older version of the same selector finds nothing.
		const real = splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version);
		const otherLast = real.endsWith('a') ? 'b' : 'a';
		expect(
			await threads.findByToken(db, TEST_SECRET, real.slice(0, -1) + otherLast)
		).toBeUndefined();
		expect(
			await threads.findByToken(
				db,
				TEST_SECRET,
				splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version + 1)
			)
		).toBeUndefined();
	});

	it('the column lists of that lookup are every column of recipients, tickets and projects', async () => {
		const columns = async (table: string) =>
			(await db.introspection.getTables())
				.find((t) => t.name === table)!
				.columns.map((c) => c.name)
				.sort();
		expect([...threads.RECIPIENT_COLUMNS].sort()).toEqual(await columns('ticket_recipients'));
		expect([...threads.TICKET_COLUMNS].sort()).toEqual(await columns('tickets'));
		expect([...threads.PROJECT_COLUMNS].sort()).toEqual(await columns('projects'));
	});

	it('each link resolves to its own recipient', async () => {
		const { reporter, cc } = await resolvedTicketWithCc();
		expect((await open(db, reporter))?.recipient.email).toBe(reporter.email);
		expect((await open(db, cc))?.recipient.email).toBe(cc.email);
	});

	it('a Discord reporter replies under the Discord name; a name sent with the form is ignored', async () => {
		const { ticket, reporter } = await makeTicket(db, {
			source: 'discord',
			reporterEmail: '123456@users.discord.invalid',
			reporterName: null,
			discordUserId: '123456',
			discordDisplayName: 'Ferris'
		});
		const { message, recipient } = await threads.reply(db, (await open(db, reporter))!, {
			body: 'hi',
			name: 'Mallory'
		});
		expect(message.author_name).toBe('Ferris');
		expect(recipient.name).toBe('Ferris');
		expect(
			JSON.stringify(await threads.conversation(db, (await open(db, reporter))!))
		).not.toContain('discord.invalid');
		expect(ticket.source).toBe('discord');
	});
});

type Holder = { public_id: string; token_version: number };
const tokenOf = (r: Holder) => splitToken(TEST_SECRET, 'thread', r.public_id, r.token_version);

// The poll endpoint reads its marks with the token lookup (findForPoll); every other caller asks
// changesSince with statements of its own. Both must give the same answers.
describe.each([
	{
		way: 'statements of its own',
		since: async (r: Holder, cursor: string) =>
			threads.changesSince(db, (await open(db, r))!, threads.decodeCursor(cursor)!)
	},
	{
		way: 'the poll marks of findForPoll',
		since: async (r: Holder, cursor: string) => {
			const c = threads.decodeCursor(cursor)!;
			const found = (await threads.findForPoll(db, TEST_SECRET, tokenOf(r), c.lastId))!;
			return threads.changesSince(db, found.thread, c, found.marks);
		}
	}
])('threads.changesSince (polling) with $way', ({ since }) => {
	it('answers nothing when nothing changed, then exactly the new messages and status', async () => {
		const { ticket, reporter, cc } = await resolvedTicketWithCc();
		await db.updateTable('tickets').set({ status: 'open' }).where('id', '=', ticket.id).execute();
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
		const found = await threads.findForPoll(db, TEST_SECRET, tokenOf(reporter), null);
		const thread = (await open(db, reporter))!;
		expect(found?.thread).toStrictEqual({
			recipient: { id: thread.recipient.id },
			ticket: { id: thread.ticket.id, status: thread.ticket.status }
		});
		expect(found?.marks.cursorId).toBeNull();
		expect(found?.marks.latestId).toEqual(expect.any(Number));
		const wrong = tokenOf({ ...reporter, token_version: reporter.token_version + 1 });
		expect(await threads.findForPoll(db, TEST_SECRET, wrong, null)).toBeUndefined();
		expect(await threads.findForPoll(db, TEST_SECRET, 'garbage', null)).toBeUndefined();
		await db
			.updateTable('ticket_recipients')
			.set({ revoked_at: Date.now() })
			.where('id', '=', reporter.id)
			.execute();
		expect(await threads.findForPoll(db, TEST_SECRET, tokenOf(reporter), null)).toBeUndefined();
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
