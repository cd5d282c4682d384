import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addRecipient, makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { openThread as open } from '$lib/server/test/threads';
import { splitToken } from '$lib/server/tokens';
import * as threads from './index';

const { db } = testDb();

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
