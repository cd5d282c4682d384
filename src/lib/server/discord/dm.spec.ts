import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '$lib/server/log';
import {
	createComposer,
	createOutbox,
	type MailMessage,
	type MailTransport
} from '$lib/server/notifications';
import { claimDue } from '$lib/server/notifications/claim';
import { makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as threads from '$lib/server/threads';
import * as staff from '$lib/server/staff';
import { createDiscordApi } from './api';
import { discordDm, dmText } from './dm';
import { startFakeDiscord, type FakeDiscord } from '$lib/server/test/discord/fake-api';

const { db } = testDb();
const ORIGIN = 'https://help.example.com';
const USER = '80351110224678912';
let fake: FakeDiscord;
beforeAll(async () => void (fake = await startFakeDiscord()));
afterAll(() => fake.close());
beforeEach(() => void (fake.requests.length = 0));

/** A mail transport that must never be used for Discord recipients. */
const mailed: MailMessage[] = [];
const mail: MailTransport = {
	kind: 'smtp',
	async send(m) {
		mailed.push(m);
		return { info: '250 ok' };
	},
	close() {}
};

function outbox(withBot = true) {
	const channels = withBot
		? { discord: discordDm(createDiscordApi({ base: fake.base, botToken: 'bot-token' })) }
		: {};
	return createOutbox({
		db,
		transport: mail,
		compose: createComposer({
			origin: ORIGIN,
			mailFrom: 'help@example.com',
			secret: TEST_SECRET,
			channels
		}),
		log: createLogger('silent'),
		pollMs: 60_000,
		backoff: () => 0
	});
}

const discordTicket = () =>
	makeTicket(db, {
		title: 'Bot is down',
		source: 'discord',
		reporterEmail: `${USER}@users.discord.invalid`,
		reporterName: null,
		discordUserId: USER,
		discordDisplayName: 'Ferris the Crab'
	});

let staffId: number | undefined;

/** A public staff reply through the staff domain (message, notices and audit in one transaction). */
async function staffReply(ticketId: number, body: string) {
	staffId ??= (
		await db
			.insertInto('staff_users')
			.values({
				email: 'sam@example.com',
				name: 'Sam from Support',
				password_hash: 'x',
				role: 'agent',
				disabled_at: null,
				created_at: Date.now()
			})
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	await staff.write(db, {
		ticketId,
		actor: { id: staffId, name: 'Sam from Support' },
		body,
		internal: false
	});
}

const threadLink = (content: string) =>
	/https:\/\/help\.example\.com\/ticket\/thread\/(\S+)/.exec(content)?.[1];

describe('Discord DMs through the outbox', () => {
	it('a staff reply sends one DM with the reporter’s own thread link, never a mail', async () => {
		const { ticket, reporter } = await discordTicket();
		const box = outbox();
		await box.deliverDue(); // the creation notice
		expect(fake.messages()).toHaveLength(1);
		fake.requests.length = 0;

		await staffReply(ticket.id, 'We restarted it, please try again.');
		expect(await box.deliverDue()).toBe(1);
		const opened = fake.requests.filter((r) => r.path === '/users/@me/channels');
		expect(opened.map((r) => r.body)).toEqual([{ recipient_id: USER }]);
		expect(opened[0].authorization).toBe('Bot bot-token');
		const dms = fake.messages();
		expect(dms).toHaveLength(1);
		expect(dms[0].channelId).toBe(`9${USER}`);
		expect(dms[0].content).toContain('We restarted it, please try again.');
		const thread = await threads.findByToken(db, TEST_SECRET, threadLink(dms[0].content)!);
		expect(thread?.recipient.id).toBe(reporter.id);
		expect(mailed).toHaveLength(0);
		const rows = await db
			.selectFrom('outbound_emails')
			.select(['kind', 'status'])
			.where('ticket_id', '=', ticket.id)
			.orderBy('id')
			.execute();
		expect(rows).toEqual([
			{ kind: 'ticket_created', status: 'sent' },
			{ kind: 'staff_reply', status: 'sent' }
		]);
		// Sent once: nothing is due any more.
		expect(await box.deliverDue()).toBe(0);
		expect(fake.messages()).toHaveLength(1);
	});

	it('retries a DM that Discord failed, then marks it sent', async () => {
		const { ticket } = await discordTicket();
		const box = outbox();
		await box.deliverDue();
		fake.requests.length = 0;
		await staffReply(ticket.id, 'Second answer');
		fake.failNext(/^\/channels\/\d+\/messages$/, 1, 500);
		expect(await box.deliverDue()).toBe(0);
		const row = () =>
			db
				.selectFrom('outbound_emails')
				.selectAll()
				.where('ticket_id', '=', ticket.id)
				.where('kind', '=', 'staff_reply')
				.executeTakeFirstOrThrow();
		expect(await row()).toMatchObject({ status: 'pending', attempts: 1 });
		expect((await row()).last_error).toContain('HTTP 500');
		expect(await box.deliverDue()).toBe(1);
		expect(await row()).toMatchObject({ status: 'sent', attempts: 2 });
		// The failed post and the successful one; the reporter got the message once.
		const delivered = fake.messages().filter((m) => m.content.includes('Second answer'));
		expect(delivered).toHaveLength(2);
		expect(mailed).toHaveLength(0);
	});

	it('without a bot token the notices are cancelled, not mailed to the synthetic address', async () => {
		const { ticket } = await discordTicket();
		await staffReply(ticket.id, 'Hello?');
		await outbox(false).deliverDue();
		const rows = await db
			.selectFrom('outbound_emails')
			.select('status')
			.where('ticket_id', '=', ticket.id)
			.execute();
		expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
		expect(mailed).toHaveLength(0);
		expect(fake.requests).toHaveLength(0);
	});

	it('two instances send each DM once; a dead instance’s claimed DM is sent after its lease', async () => {
		for (let i = 0; i < 6; i++) await discordTicket();
		const [a, b] = [outbox(), outbox()];
		const [byA, byB] = await Promise.all([a.deliverDue(), b.deliverDue()]);
		expect(byA + byB).toBe(6);
		expect(fake.messages()).toHaveLength(6);

		fake.requests.length = 0;
		const { ticket } = await discordTicket();
		const now = Date.now();
		const [claimed] = await claimDue(db, 'dead', { now, leaseMs: 60_000, limit: 10 });
		expect(claimed.ticket_id).toBe(ticket.id);
		expect(await b.deliverDue(now + 30_000)).toBe(0);
		expect(fake.messages()).toHaveLength(0);
		expect(await b.deliverDue(now + 61_000)).toBe(1);
		expect(fake.messages()).toHaveLength(1);
		expect(mailed).toHaveLength(0);
	});

	it('keeps a DM within Discord’s 2000 characters, shortening the quote', () => {
		const text = dmText(
			{
				subject: 'Re: [Acme] Long',
				paragraphs: ['Support answered.'],
				quote: { author: 'Sam', body: 'x'.repeat(5000) },
				action: { label: 'Reply', url: `${ORIGIN}/ticket/thread/abc.def` }
			},
			`${ORIGIN}/ticket/unsubscribe/abc.def`
		);
		expect(text.length).toBeLessThanOrEqual(2000);
		expect(text).toContain(`Reply: ${ORIGIN}/ticket/thread/abc.def`);
		expect(text).toContain('/ticket/unsubscribe/abc.def');
	});
});
