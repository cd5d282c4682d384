import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import * as threads from '$lib/server/threads';
import { splitToken } from '$lib/server/tokens';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as staff from '$lib/server/staff';
import { makeAgent } from '$lib/server/test/staff-agent';
import * as tickets from './index';

const { db } = testDb();

describe('tickets.create', () => {
	it('creates the ticket, its reporter, the first message and the queued mail together', async () => {
		const { ticket, reporter } = await makeTicket(db, { initialMessage: 'Hello there' });
		expect(ticket.status).toBe('open');
		expect(reporter.role).toBe('reporter');
		const messages = await db
			.selectFrom('messages')
			.selectAll()
			.where('ticket_id', '=', ticket.id)
			.execute();
		expect(messages.map((m) => m.body)).toEqual(['Hello there']);
		const mail = await db
			.selectFrom('outbound_emails')
			.selectAll()
			.where('ticket_id', '=', ticket.id)
			.execute();
		expect(mail).toHaveLength(1);
		expect(mail[0]).toMatchObject({
			kind: 'ticket_created',
			recipient_id: reporter.id,
			status: 'pending'
		});
	});

	it('stores no usable token: the link cannot be found anywhere in the database', async () => {
		const { reporter } = await makeTicket(db);
		const thread = splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version);
		const unsubscribe = splitToken(
			TEST_SECRET,
			'unsubscribe',
			reporter.public_id,
			reporter.token_version
		);
		const tables = [
			'tickets',
			'ticket_recipients',
			'messages',
			'outbound_emails',
			'audit_events'
		] as const;
		const dump = JSON.stringify(
			await Promise.all(tables.map((t) => db.selectFrom(t).selectAll().execute()))
		);
		for (const token of [thread, unsubscribe]) {
			expect(dump).not.toContain(token);
			expect(dump).not.toContain(token.split('.')[1]);
		}
	});

	it('leaves nothing behind when a step inside the transaction fails', async () => {
		const project = await makeProject(db);
		const count = async () =>
			(
				await sql<{
					n: number;
				}>`SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM ticket_recipients) + (SELECT count(*) FROM outbound_emails) AS n`.execute(
					db
				)
			).rows[0];
		const before = await count();
		await expect(
			makeTicket(db, {
				projectId: project.id,
				within: async () => {
					throw new Error('disk full');
				}
			})
		).rejects.toThrow('disk full');
		expect(await count()).toEqual(before);
	});
});

describe('threads.findByToken', () => {
	it('finds the thread of a valid token and nothing for a wrong, re-issued or revoked one', async () => {
		const { ticket, reporter } = await makeTicket(db);
		const token = splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version);
		const found = await threads.findByToken(db, TEST_SECRET, token);
		expect(found?.ticket.id).toBe(ticket.id);
		expect(found?.recipient.id).toBe(reporter.id);

		expect(
			await threads.findByToken(
				db,
				TEST_SECRET,
				splitToken(TEST_SECRET, 'unsubscribe', reporter.public_id, 1)
			)
		).toBeUndefined();
		expect(
			await threads.findByToken(
				db,
				TEST_SECRET,
				token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a')
			)
		).toBeUndefined();
		expect(await threads.findByToken(db, TEST_SECRET, 'garbage')).toBeUndefined();

		await db
			.updateTable('ticket_recipients')
			.set({ token_version: 2 })
			.where('id', '=', reporter.id)
			.execute();
		expect(await threads.findByToken(db, TEST_SECRET, token)).toBeUndefined();
		const fresh = splitToken(TEST_SECRET, 'thread', reporter.public_id, 2);
		expect(await threads.findByToken(db, TEST_SECRET, fresh)).toBeDefined();

		await db
			.updateTable('ticket_recipients')
			.set({ revoked_at: Date.now() })
			.where('id', '=', reporter.id)
			.execute();
		expect(await threads.findByToken(db, TEST_SECRET, fresh)).toBeUndefined();
	});
});

describe('threads.reply', () => {
	it('adds a public message and reopens a resolved ticket with an event, atomically', async () => {
		const { ticket, reporter } = await makeTicket(db);
		await db
			.updateTable('tickets')
			.set({ status: 'resolved', resolved_at: Date.now() })
			.where('id', '=', ticket.id)
			.execute();
		const token = splitToken(TEST_SECRET, 'thread', reporter.public_id, 1);
		const thread = (await threads.findByToken(db, TEST_SECRET, token))!;
		const { reopened } = await threads.reply(db, thread, { body: 'Still broken' });
		expect(reopened).toBe(true);
		const after = await db
			.selectFrom('tickets')
			.selectAll()
			.where('id', '=', ticket.id)
			.executeTakeFirstOrThrow();
		expect(after.status).toBe('open');
		expect(after.resolved_at).toBeNull();
		const conv = await threads.conversation(db, { ...thread, ticket: after });
		expect(conv.map((m) => [m.kind, m.from, m.body || m.event])).toEqual([
			['message', 'you', 'Still broken'],
			['event', 'system', 'reopened']
		]);
	});

	it('never shows internal notes', async () => {
		const { ticket, reporter } = await makeTicket(db);
		await db
			.insertInto('messages')
			.values({
				public_id: 'internalnote00001',
				ticket_id: ticket.id,
				visibility: 'internal',
				body: 'secret note',
				event: null,
				created_at: Date.now()
			})
			.execute();
		const thread = (await threads.findByToken(
			db,
			TEST_SECRET,
			splitToken(TEST_SECRET, 'thread', reporter.public_id, 1)
		))!;
		expect((await threads.conversation(db, thread)).some((m) => m.body === 'secret note')).toBe(
			false
		);
	});
});

describe('displayNameOf', () => {
	it('shows a Discord reporter by Discord name, never the synthetic email', () => {
		expect(
			tickets.displayNameOf(
				{ name: null, email: '123@users.discord.invalid', role: 'reporter' },
				{ source: 'discord', discord_display_name: 'Ferris' }
			)
		).toBe('Ferris');
		expect(
			tickets.displayNameOf(
				{ name: null, email: 'a@b.co', role: 'reporter' },
				{ source: 'portal', discord_display_name: null }
			)
		).toBe('a@b.co');
	});
});

describe('control characters and lone surrogates', () => {
	it('never reach storage: ticket create (web and Discord), public reply and staff reply', async () => {
		const dirty = 'A\u0000B\u0007C\ud800D\r\nE\u001b[31mF';
		const { ticket, reporter } = await makeTicket(db, {
			title: `Title ${dirty}`,
			description: dirty,
			reporterName: `Name\u0000\nBcc: x`,
			initialMessage: dirty,
			discordDisplayName: `Disc\u0000ord`,
			customFields: { note: dirty, count: 3 }
		});
		const thread = await threads.findByToken(
			db,
			TEST_SECRET,
			splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version)
		);
		await threads.reply(db, thread!, { body: dirty, name: 'New\u0000 name\u0085' });
		await staff.write(db, {
			ticketId: ticket.id,
			actor: await makeAgent(db),
			body: dirty,
			internal: false
		});

		const row = await db
			.selectFrom('tickets')
			.selectAll()
			.where('id', '=', ticket.id)
			.executeTakeFirstOrThrow();
		expect(row.title).toBe('Title ABCD E[31mF');
		expect(row.description).toBe('ABCD\nE[31mF');
		expect(row.reporter_name).toBe('Name Bcc: x');
		expect(row.discord_display_name).toBe('Discord');
		expect(JSON.parse(row.custom_fields)).toEqual({ note: 'ABCD\nE[31mF', count: 3 });
		const bodies = await db
			.selectFrom('messages')
			.select('body')
			.where('ticket_id', '=', ticket.id)
			.where('kind', '!=', 'event')
			.execute();
		expect(bodies.map((m) => m.body)).toEqual(['ABCD\nE[31mF', 'ABCD\nE[31mF', 'ABCD\nE[31mF']);
		const names = await db
			.selectFrom('ticket_recipients')
			.select('name')
			.where('ticket_id', '=', ticket.id)
			.execute();
		expect(names.map((n) => n.name)).toEqual(['New name\u0085']);
	});
});
