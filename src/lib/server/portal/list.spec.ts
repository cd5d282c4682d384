import { describe, expect, it } from 'vitest';
import { addRecipient, makeProject, makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as recipients from '$lib/server/recipients';
import * as portal from './index';

const { db } = testDb();
const links = { origin: 'https://help.example.com', secret: TEST_SECRET };
const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}@example.com`;

/** The recipient a listed row's link opens (the link is checked like the thread page does). */
async function opens(url: string) {
	const token = url.replace('https://help.example.com/ticket/thread/', '');
	return recipients.findByToken(db, TEST_SECRET, 'thread', token);
}

describe('myTickets', () => {
	it('lists exactly the tickets the address is on, each with the person’s own link', async () => {
		const me = unique('Me');
		const someone = unique('someone');
		const mine = await makeTicket(db, { reporterEmail: me, title: 'My own ticket' });
		const theirs = await makeTicket(db, { reporterEmail: someone, title: 'Notified on this one' });
		const myCc = await addRecipient(db, theirs.ticket.id, me.toUpperCase());
		await makeTicket(db, { reporterEmail: someone, title: 'Not mine at all' });
		const removed = await makeTicket(db, { reporterEmail: someone, title: 'Removed from this' });
		const gone = await addRecipient(db, removed.ticket.id, me);

		let page = await portal.myTickets(db, links, { email: me });
		expect(page.tickets.map((t) => t.title).sort()).toEqual([
			'My own ticket',
			'Notified on this one',
			'Removed from this'
		]);
		await db
			.updateTable('ticket_recipients')
			.set({ revoked_at: Date.now() })
			.where('id', '=', gone.id)
			.execute();
		page = await portal.myTickets(db, links, { email: me });
		expect(page.tickets.map((t) => t.title).sort()).toEqual([
			'My own ticket',
			'Notified on this one'
		]);

		const byTitle = Object.fromEntries(page.tickets.map((t) => [t.title, t]));
		expect((await opens(byTitle['My own ticket'].url))?.id).toBe(mine.reporter.id);
		expect((await opens(byTitle['Notified on this one'].url))?.id).toBe(myCc.id);
		expect(byTitle['Notified on this one'].project).toBe('Test Project');
		expect(byTitle['My own ticket'].status).toBe('open');
	});

	it('leaves out projects with the portal turned off', async () => {
		const me = unique('off');
		const closed = await makeProject(db, { name: 'Closed portal' });
		await makeTicket(db, { reporterEmail: me, projectId: closed.id, title: 'Hidden' });
		await makeTicket(db, { reporterEmail: me, title: 'Shown' });
		await db
			.updateTable('projects')
			.set({ portal_enabled: 0 })
			.where('id', '=', closed.id)
			.execute();
		expect((await portal.myTickets(db, links, { email: me })).tickets.map((t) => t.title)).toEqual([
			'Shown'
		]);
	});

	it('filters by status, searches titles literally and pages newest first', async () => {
		const me = unique('many');
		const project = await makeProject(db);
		const base = Date.now() - 1_000_000;
		for (let i = 0; i < 25; i++) {
			const { ticket } = await makeTicket(db, {
				reporterEmail: me,
				projectId: project.id,
				title: `Ticket ${i} 100%_done`
			});
			await db
				.updateTable('tickets')
				.set({
					last_activity_at: base + i * 1000,
					status:
						i % 5 === 0 ? 'resolved' : i % 5 === 1 ? 'waiting' : i % 5 === 2 ? 'rejected' : 'open'
				})
				.where('id', '=', ticket.id)
				.execute();
		}
		const first = await portal.myTickets(db, links, { email: me });
		expect(first.tickets).toHaveLength(portal.PAGE_SIZE);
		expect(first.hasNext).toBe(true);
		expect(first.tickets[0].title).toBe('Ticket 24 100%_done');
		const second = await portal.myTickets(db, links, { email: me }, { page: 2 });
		expect(second.tickets.map((t) => t.title)).toEqual(
			[4, 3, 2, 1, 0].map((i) => `Ticket ${i} 100%_done`)
		);
		expect(second.hasNext).toBe(false);

		expect(
			(await portal.myTickets(db, links, { email: me }, { status: 'waiting' })).tickets
		).toHaveLength(5);
		const done = await portal.myTickets(db, links, { email: me }, { status: 'resolved' });
		expect(done.tickets).toHaveLength(10);
		expect(new Set(done.tickets.map((t) => t.status))).toEqual(new Set(['resolved', 'rejected']));
		expect(
			(await portal.myTickets(db, links, { email: me }, { status: 'open' })).tickets
		).toHaveLength(10);

		expect(
			(await portal.myTickets(db, links, { email: me }, { q: 'TICKET 1' })).tickets
				.map((t) => t.title)
				.sort()
		).toEqual(
			[1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((i) => `Ticket ${i} 100%_done`).sort()
		);
		// % and _ are letters here, not wildcards.
		expect(
			(await portal.myTickets(db, links, { email: me }, { q: '0%_d', page: 2 })).tickets.length
		).toBe(5);
		expect((await portal.myTickets(db, links, { email: me }, { q: '1_0' })).tickets).toEqual([]);
		expect(
			(await portal.myTickets(db, links, { email: me }, { q: "'; drop table tickets; --" })).tickets
		).toEqual([]);
	});

	it('marks what is new since the person last opened their thread page', async () => {
		const me = unique('seen');
		const { ticket, reporter } = await makeTicket(db, { reporterEmail: me });
		const row = async () => (await portal.myTickets(db, links, { email: me })).tickets[0];
		expect((await row()).unseen).toBe(false);
		await db
			.updateTable('tickets')
			.set({ last_activity_at: Date.now() + 5000 })
			.where('id', '=', ticket.id)
			.execute();
		expect((await row()).unseen).toBe(true);
		const lastActivity = Date.now() + 5000;
		expect(await portal.markSeen(db, reporter, lastActivity, Date.now() + 6000)).toBe(true);
		expect((await row()).unseen).toBe(false);
	});

	it('does not write when a thread is opened again with nothing new (a view stays a read)', async () => {
		const me = unique('seen-again');
		const { ticket, reporter } = await makeTicket(db, { reporterEmail: me });
		const seenAt = async () =>
			(
				await db
					.selectFrom('ticket_recipients')
					.select('seen_at')
					.where('id', '=', reporter.id)
					.executeTakeFirstOrThrow()
			).seen_at;
		// Nothing happened since the recipient joined: nothing to clear, no write.
		expect(await portal.markSeen(db, reporter, ticket.last_activity_at)).toBe(false);
		expect(await seenAt()).toBeNull();
		// A newer message: the first view records it, the next views of the same state do not.
		const later = reporter.created_at + 10_000;
		expect(await portal.markSeen(db, reporter, later, later + 1)).toBe(true);
		expect(await seenAt()).toBe(later + 1);
		const again = { ...reporter, seen_at: later + 1 };
		expect(await portal.markSeen(db, again, later, later + 2)).toBe(false);
		expect(await seenAt()).toBe(later + 1);
	});

	it('shows a Discord session the tickets that Discord user opened', async () => {
		const user = `${Math.floor(Math.random() * 1e12) + 1e12}`;
		const t = await makeTicket(db, {
			reporterEmail: `${user}@users.discord.invalid`,
			source: 'discord',
			discordUserId: user,
			discordDisplayName: 'Disco',
			title: 'From Discord'
		});
		await makeTicket(db, {
			title: 'Someone else on Discord',
			source: 'discord',
			discordUserId: '999999999999'
		});
		const page = await portal.myTickets(db, links, { discordUserId: user });
		expect(page.tickets.map((x) => x.title)).toEqual(['From Discord']);
		expect((await opens(page.tickets[0].url))?.id).toBe(t.reporter.id);
	});
});
