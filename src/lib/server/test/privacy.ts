// The people of the privacy specs (export, erasure): Zelda, whose data is exported and erased,
// and Otto and Karl, whose data must stay. Only specs import this.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import * as attachments from '$lib/server/attachments';
import { localStorage, type AttachmentStorage } from '$lib/server/attachments/storage';
import * as audit from '$lib/server/audit';
import type { Db, Tx } from '$lib/server/db';
import { createLogger } from '$lib/server/log';
import { createPrivacy, createPrivacyLimits, textColumns } from '$lib/server/privacy';
import * as staff from '$lib/server/staff';
import { addRecipient, makeProject, makeTicket } from '$lib/server/test/factories';
import { makeAgent } from '$lib/server/test/staff-agent';
import { TEST_SECRET } from '$lib/server/test/test-db';
import * as threads from '$lib/server/threads';
import { randomToken, splitToken } from '$lib/server/tokens';

export const ZELDA = { email: 'Zelda.Quux@Example.com', name: 'Zelda Quux' };
export const OTTO = { email: 'otto.other@example.com', name: 'Otto Other' };
export const KARL = { email: 'karl.keeper@example.com', name: 'Karl Keeper' };

/**
 * The privacy service on local storage in a temporary folder, exports limited to 2 a minute,
 * erasures unlimited; `ended` lists the addresses whose sessions it ended.
 */
export function testPrivacy(db: Db) {
	const dir = mkdtempSync(join(tmpdir(), 'privacy-'));
	const storage = localStorage(dir);
	const ended: string[] = [];
	const privacy = createPrivacy({
		db,
		storage,
		log: createLogger('silent'),
		limits: createPrivacyLimits({
			export: { points: 2, durationSec: 60 },
			erase: { points: 0, durationSec: 60 }
		}),
		endSessions: async (_tx, who) => {
			ended.push(who.email);
			return 1;
		}
	});
	return { dir, storage, ended, privacy };
}

/** Stores a text file and attaches it to the ticket (and message); returns its storage key. */
export async function attachFile(
	storage: AttachmentStorage,
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

/** Every text column of every table that contains one of `needles` (any letter case). */
export async function scan(db: Db, needles: string[]) {
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

/**
 * Zelda reports ticket A (with a hidden field and a file), replies with a file; Otto is notified
 * on A and replies with a file; staff reply publicly and write an internal note (with a file)
 * that names her. On ticket B (Karl's) Zelda is notified; ticket C is Karl's alone. A customer
 * row and an audit event mention her too. `keys` are the storage keys of the files.
 */
export async function seedPeople(db: Db, storage: AttachmentStorage) {
	const keys: Record<string, string> = {};
	const project = await makeProject(db, { name: 'Rockets' });
	const agent = await makeAgent(db, { name: 'Agnes Agent' });
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
			keys.description = await attachFile(
				storage,
				tx,
				created.ticket.id,
				null,
				'../../etc/pass:wd.txt',
				'desc'
			);
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
			keys.reply = await attachFile(
				storage,
				tx,
				a.ticket.id,
				m.messageId,
				'zelda-log.txt',
				'zelda file'
			);
		}
	});
	await threads.reply(
		db,
		{ ...threadA, recipient: otto },
		{
			body: 'Otto was here, mail otto.other@example.com.',
			within: async (tx, m) => {
				keys.otto = await attachFile(
					storage,
					tx,
					a.ticket.id,
					m.messageId,
					'otto.txt',
					'otto file'
				);
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
			keys.note = await attachFile(storage, tx, a.ticket.id, m.messageId, 'note.txt', 'note file');
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
		.values({
			name: ZELDA.name,
			email: ZELDA.email,
			notes: 'Zelda Quux, call first',
			created_at: 0
		})
		.execute();
	await audit.record(db, {
		ticketId: null,
		actor: { kind: 'system', id: null },
		action: 'test.mention',
		data: { about: 'ZELDA.QUUX@example.com' }
	});
	return { project, agent, keys, a, otto, zeldaOnB, b, c };
}
