import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as attachments from '$lib/server/attachments';
import { dialectOf } from '$lib/server/db/dialect';
import * as subscriptions from '$lib/server/notifications/subscriptions';
import { makeTicket } from '$lib/server/test/factories';
import {
	attachFile,
	KARL,
	OTTO,
	scan,
	seedPeople,
	testPrivacy,
	ZELDA
} from '$lib/server/test/privacy';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as threads from '$lib/server/threads';
import { splitToken } from '$lib/server/tokens';
import { erase } from '.';

const { db } = testDb();
const { dir, storage, ended, privacy } = testPrivacy(db);
const { project, agent, keys, a, otto, zeldaOnB, b, c } = await seedPeople(db, storage);

describe(`erasure (${dialectOf(db)})`, () => {
	it('needs the data to find: the scan sees the address and name before', async () => {
		const before = await scan(db, [ZELDA.email, ZELDA.name]);
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

		expect(await scan(db, [ZELDA.email, ZELDA.name, 'zelda'])).toEqual([]);
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
		expect(await scan(db, [OTTO.email, KARL.email, OTTO.name])).not.toEqual([]);

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
				keys.crash = await attachFile(
					storage,
					tx,
					created.ticket.id,
					null,
					'crash.txt',
					'crash file'
				);
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
