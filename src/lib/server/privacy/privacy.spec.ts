import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import * as attachments from '$lib/server/attachments';
import { localStorage } from '$lib/server/attachments/storage';
import * as audit from '$lib/server/audit';
import type { Tx } from '$lib/server/db';
import { dialectOf } from '$lib/server/db/dialect';
import { createLogger } from '$lib/server/log';
import * as subscriptions from '$lib/server/notifications/subscriptions';
import * as staff from '$lib/server/staff';
import { addRecipient, makeProject, makeTicket } from '$lib/server/test/factories';
import { makeAgent } from '$lib/server/test/staff-agent';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { unzip } from '$lib/server/test/unzip';
import * as threads from '$lib/server/threads';
import { randomToken, splitToken } from '$lib/server/tokens';
import { createPrivacy, createPrivacyLimits, erase, textColumns } from '.';

const { db } = testDb();
const dir = mkdtempSync(join(tmpdir(), 'privacy-'));
const storage = localStorage(dir);
const log = createLogger('silent');
const ended: string[] = [];
const privacy = createPrivacy({
	db,
	storage,
	log,
	limits: createPrivacyLimits({
		export: { points: 2, durationSec: 60 },
		erase: { points: 0, durationSec: 60 }
	}),
	endSessions: async (_tx, who) => {
		ended.push(who.email);
		return 1;
	}
});

const ZELDA = { email: 'Zelda.Quux@Example.com', name: 'Zelda Quux' };
const OTTO = { email: 'otto.other@example.com', name: 'Otto Other' };
const KARL = { email: 'karl.keeper@example.com', name: 'Karl Keeper' };

async function file(
	tx: Tx,
	ticketId: number,
	messageId: number | null,
	name: string,
	text: string
) {
	const key = randomToken(20);
	const { size, sha256 } = await storage.write(key, new TextEncoder().encode(text));
	await attachments.insert(tx, [{ key, name, mime: 'text/plain', size, sha256, image: false }], {
		ticketId,
		messageId
	});
	return key;
}

// Zelda reports ticket A (with a hidden field and a file), replies with a file; Otto is notified
// on A and replies with a file; staff reply publicly and write an internal note (with a file)
// that names her. On ticket B (Karl's) Zelda is notified; ticket C is Karl's alone.
const project = await makeProject(db, { name: 'Rockets' });
const agent = await makeAgent(db, { name: 'Agnes Agent' });
const keys: Record<string, string> = {};
const a = await makeTicket(db, {
	projectId: project.id,
	title: 'Engine by Zelda Quux',
	reporterEmail: ZELDA.email,
	reporterName: ZELDA.name,
	description: 'Mail me at zelda.quux@example.com please.',
	customFields: { model: 'R-7', internal_code: 'HIDDEN-SENTINEL' },
	customFieldsSchema: [
		{ key: 'model', label: 'Model', visibility: 'public' },
		{ key: 'internal_code', label: 'Code', visibility: 'hidden' }
	],
	within: async (tx, created) => {
		keys.description = await file(tx, created.ticket.id, null, '../../etc/pass:wd.txt', 'desc');
	}
});
const otto = await addRecipient(db, a.ticket.id, OTTO.email, OTTO.name);
const threadA = (await threads.findByToken(
	db,
	TEST_SECRET,
	splitToken(TEST_SECRET, 'thread', a.reporter.public_id, a.reporter.token_version)
))!;
await threads.reply(db, threadA, {
	body: 'My own words.',
	within: async (tx, m) => {
		keys.reply = await file(tx, a.ticket.id, m.messageId, 'zelda-log.txt', 'zelda file');
	}
});
await threads.reply(
	db,
	{ ...threadA, recipient: otto },
	{
		body: 'Otto was here, mail otto.other@example.com.',
		within: async (tx, m) => {
			keys.otto = await file(tx, a.ticket.id, m.messageId, 'otto.txt', 'otto file');
		}
	}
);
await staff.write(db, {
	ticketId: a.ticket.id,
	actor: agent,
	body: 'Hi Zelda Quux!',
	internal: false
});
await staff.write(db, {
	ticketId: a.ticket.id,
	actor: agent,
	body: 'INTERNAL-SENTINEL: zelda.quux@example.com is a VIP',
	internal: true,
	within: async (tx, m) => {
		keys.note = await file(tx, a.ticket.id, m.messageId, 'note.txt', 'note file');
	}
});
const b = await makeTicket(db, {
	projectId: project.id,
	title: 'Karl asks',
	reporterEmail: KARL.email,
	reporterName: KARL.name
});
const zeldaOnB = await addRecipient(db, b.ticket.id, ZELDA.email.toLowerCase(), ZELDA.name);
const c = await makeTicket(db, {
	projectId: project.id,
	title: 'Karl alone',
	reporterEmail: KARL.email,
	reporterName: KARL.name
});
await db
	.insertInto('customers')
	.values({ name: ZELDA.name, email: ZELDA.email, notes: 'Zelda Quux, call first', created_at: 0 })
	.execute();
await audit.record(db, {
	ticketId: null,
	actor: { kind: 'system', id: null },
	action: 'test.mention',
	data: { about: 'ZELDA.QUUX@example.com' }
});

async function download(email: string) {
	const result = await privacy.exportData(email);
	const chunks: Buffer[] = [];
	for await (const chunk of result!.stream) chunks.push(chunk as Buffer);
	return unzip(Buffer.concat(chunks));
}

describe(`export (${dialectOf(db)})`, () => {
	it('holds their tickets, public conversation, own files and subscription, nothing else', async () => {
		const zip = await download('  zelda.quux@EXAMPLE.com ');
		const json = zip.get('data.json')!.toString('utf8');
		const data = JSON.parse(json);
		expect(data.tickets.map((t: { title: string }) => t.title).sort()).toEqual([
			'Engine by Zelda Quux',
			'Karl asks'
		]);
		const ta = data.tickets.find((t: { title: string }) => t.title.startsWith('Engine'));
		expect(ta.role).toBe('reporter');
		expect(ta.emailNotifications).toBe(true);
		expect(ta.fields).toEqual([{ label: 'Model', value: 'R-7' }]);
		const from = ta.conversation.map((m: { from: string; body: string }) => [m.from, m.body]);
		expect(from).toEqual([
			['you', 'My own words.'],
			['recipient', 'Otto was here, mail otto.other@example.com.'],
			['staff', 'Hi Zelda Quux!']
		]);
		// Their files only, under safe names; never Otto's, never the note's.
		const names = [...zip.keys()].filter((n) => n !== 'data.json').sort();
		expect(names).toHaveLength(2);
		expect(names.every((n) => /^files\/\d+-[^/\\]+$/.test(n) && !n.includes('..'))).toBe(true);
		expect(names.map((n) => zip.get(n)!.toString()).sort()).toEqual(['desc', 'zelda file']);
		expect(ta.files[0].path).toMatch(/^files\/\d+-etc_pass_wd\.txt$|^files\/\d+-pass_wd\.txt$/);
		const everything = [...zip.values()].map((v) => v.toString('utf8')).join('\n');
		expect(everything).not.toContain('INTERNAL-SENTINEL');
		expect(everything).not.toContain('HIDDEN-SENTINEL');
		expect(everything).not.toContain('otto file');
		expect(everything).not.toContain('note file');
		// Otto's address appears only inside the public text he wrote himself, never as data.
		expect(json.split(OTTO.email).length - 1).toBe(1);
		expect(json).not.toContain(KARL.email);
	});

	it('is empty for an address with no tickets', async () => {
		const zip = await download('nobody@example.com');
		expect(JSON.parse(zip.get('data.json')!.toString()).tickets).toEqual([]);
		expect(zip.size).toBe(1);
	});

	it('is rate limited per session and per client', async () => {
		const who = { sessionId: 'session-1', clientKey: '203.0.113.9' };
		expect((await privacy.limits.take('export', who)).ok).toBe(true);
		expect((await privacy.limits.take('export', who)).ok).toBe(true);
		const third = await privacy.limits.take('export', who);
		expect(third.ok).toBe(false);
		if (!third.ok) expect(third.message).toMatch(/Too many data downloads.*try again/);
		// Another session from another client has its own budget; erase limit 0 = off.
		expect((await privacy.limits.take('export', { sessionId: 's2', clientKey: 'x' })).ok).toBe(
			true
		);
		expect((await privacy.limits.take('erase', who)).ok).toBe(true);
	});
});

async function scan(needles: string[]) {
	const found: string[] = [];
	for (const { table, column } of await textColumns(db)) {
		const rows = await sql<{
			v: string;
		}>`SELECT ${sql.id(column)} AS v FROM ${sql.id(table)}`.execute(db);
		for (const r of rows.rows) {
			const v = String(r.v ?? '').toLowerCase();
			for (const n of needles)
				if (v.includes(n.toLowerCase())) found.push(`${table}.${column}: ${n}`);
		}
	}
	return found;
}

describe(`erasure (${dialectOf(db)})`, () => {
	it('needs the data to find: the scan sees the address and name before', async () => {
		const before = await scan([ZELDA.email, ZELDA.name]);
		expect(before.length).toBeGreaterThan(8);
		expect(before).toEqual(expect.arrayContaining(['tickets.reporter_email: ' + ZELDA.email]));
		expect(await privacy.preview(ZELDA.email)).toEqual({ tickets: 2, messages: 1, files: 2 });
	});

	it('leaves no trace of the address or name in any text column, nor their files', async () => {
		const threadLink = splitToken(
			TEST_SECRET,
			'thread',
			a.reporter.public_id,
			a.reporter.token_version
		);
		const unsubLink = splitToken(
			TEST_SECRET,
			'unsubscribe',
			a.reporter.public_id,
			a.reporter.token_version
		);
		const bLink = splitToken(TEST_SECRET, 'thread', zeldaOnB.public_id, zeldaOnB.token_version);
		const ottoLink = splitToken(TEST_SECRET, 'thread', otto.public_id, otto.token_version);
		expect(await threads.findByToken(db, TEST_SECRET, threadLink)).toBeDefined();

		const summary = await privacy.eraseData(ZELDA.email.toUpperCase(), {
			kind: 'staff',
			id: agent.id
		});
		expect(summary).toMatchObject({ tickets: 2, recipients: 2, messages: 1, files: 2 });
		expect(summary!.cancelledMails).toBeGreaterThan(0);
		expect(ended).toEqual(['zelda.quux@example.com']);

		expect(await scan([ZELDA.email, ZELDA.name, 'zelda'])).toEqual([]);
		const left = readdirSync(dir).sort();
		expect(left).not.toContain(keys.description);
		expect(left).not.toContain(keys.reply);
		expect(left).toEqual([keys.note, keys.otto].sort());

		// Old links die; Otto's still works.
		expect(await threads.findByToken(db, TEST_SECRET, threadLink)).toBeUndefined();
		expect(await threads.findByToken(db, TEST_SECRET, bLink)).toBeUndefined();
		expect(await subscriptions.findByToken(db, TEST_SECRET, unsubLink)).toBeUndefined();
		const ottoThread = await threads.findByToken(db, TEST_SECRET, ottoLink);
		expect(ottoThread?.recipient.email).toBe(OTTO.email);

		// The tickets stay, with the conversation's text and a placeholder for her.
		const ticket = await db
			.selectFrom('tickets')
			.selectAll()
			.where('id', '=', a.ticket.id)
			.executeTakeFirstOrThrow();
		expect(ticket.reporter_name).toMatch(/^Erased person #[a-z2-7]{8}$/);
		expect(ticket.reporter_email).toMatch(/^erased-[a-z2-7]{8}@erased\.invalid$/);
		expect(ticket.title).toBe(`Engine by ${ticket.reporter_name}`);
		const bodies = (
			await db
				.selectFrom('messages')
				.select(['body', 'author_name'])
				.where('ticket_id', '=', a.ticket.id)
				.orderBy('id')
				.execute()
		).filter((m) => m.body);
		expect(bodies.map((m) => m.body)).toEqual([
			'My own words.',
			'Otto was here, mail otto.other@example.com.',
			`Hi ${ticket.reporter_name}!`,
			`INTERNAL-SENTINEL: ${ticket.reporter_email} is a VIP`
		]);
		expect(bodies[0].author_name).toBe(ticket.reporter_name);
		// The same placeholder on every ticket of hers.
		const onB = await db
			.selectFrom('ticket_recipients')
			.select(['email', 'name'])
			.where('id', '=', zeldaOnB.id)
			.executeTakeFirstOrThrow();
		expect(onB).toEqual({ email: ticket.reporter_email, name: ticket.reporter_name });

		// Nobody else lost anything.
		const karl = await db
			.selectFrom('tickets')
			.select(['reporter_email', 'reporter_name', 'title'])
			.where('id', 'in', [b.ticket.id, c.ticket.id])
			.orderBy('id')
			.execute();
		expect(karl).toEqual([
			{ reporter_email: KARL.email, reporter_name: KARL.name, title: 'Karl asks' },
			{ reporter_email: KARL.email, reporter_name: KARL.name, title: 'Karl alone' }
		]);
		expect(await scan([OTTO.email, KARL.email, OTTO.name])).not.toEqual([]);

		// The audit row says it happened, with counts, not whose.
		const row = await db
			.selectFrom('audit_events')
			.selectAll()
			.where('action', '=', 'privacy.erased')
			.executeTakeFirstOrThrow();
		expect(row.ticket_id).toBeNull();
		expect(JSON.parse(row.data)).toMatchObject({ tickets: 2, files: 2 });
		expect(row.data).not.toMatch(/erased-|zelda/i);

		// Nothing queued for her is still pending.
		const pending = await db
			.selectFrom('outbound_emails')
			.select('id')
			.where('recipient_id', 'in', [a.reporter.id, zeldaOnB.id])
			.where('status', '=', 'pending')
			.execute();
		expect(pending).toEqual([]);
	});

	it('a second erasure of the same address finds nothing', async () => {
		expect(await privacy.preview(ZELDA.email)).toEqual({ tickets: 0, messages: 0, files: 0 });
		expect(await privacy.eraseData('not an address', { kind: 'system', id: null })).toBeNull();
	});
});

describe(`erasure interrupted before the files are removed (${dialectOf(db)})`, () => {
	it('leaves only files no row names, which the orphan sweep removes', async () => {
		const t = await makeTicket(db, {
			projectId: project.id,
			reporterEmail: 'crash.case@example.com',
			within: async (tx, created) => {
				keys.crash = await file(tx, created.ticket.id, null, 'crash.txt', 'crash file');
			}
		});
		expect(t.ticket.id).toBeGreaterThan(0);
		// The transaction commits; the process "dies" before removing the files.
		const { storageKeys } = await erase(db, 'crash.case@example.com', {
			actor: { kind: 'system', id: null }
		});
		expect(storageKeys).toEqual([keys.crash]);
		expect(readdirSync(dir)).toContain(keys.crash);
		expect(await attachments.sweep(db, storage)).toBe(1);
		expect(readdirSync(dir).sort()).toEqual([keys.note, keys.otto].sort());
	});
});

describe(`erasure of a Discord user (${dialectOf(db)})`, () => {
	it('goes by their synthetic address and leaves neither their id nor their name', async () => {
		const id = '918273645546372819';
		const address = `${id}@users.discord.invalid`;
		await makeTicket(db, {
			projectId: project.id,
			source: 'discord',
			reporterEmail: address,
			reporterName: null,
			discordUserId: id,
			discordDisplayName: 'Dora Discordia'
		});
		await db
			.insertInto('discord_sessions')
			.values({
				public_id: randomToken(10),
				discord_user_id: id,
				guild_id: '1234567',
				project_id: project.id,
				ticket_type_id: null,
				answers: JSON.stringify({ title: 'half typed' }),
				expires_at: Date.now() + 60_000,
				created_at: Date.now()
			})
			.execute();
		expect((await scan([id, 'Dora Discordia'])).length).toBeGreaterThan(2);
		const summary = await privacy.eraseData(address, { kind: 'system', id: null });
		expect(summary).toMatchObject({ tickets: 1, recipients: 1 });
		expect(ended.at(-1)).toBe(address);
		expect(await scan([id, 'Dora Discordia'])).toEqual([]);
	});
});
