import { sql } from 'kysely';
import MailComposer from 'nodemailer/lib/mail-composer';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { createComposer, type MailMessage } from '$lib/server/notifications';
import { makeProject } from '$lib/server/test/factories';
import { buildMail, DOMAIN, envelope, testPipeline, uid } from '$lib/server/test/inbound';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';

const { db } = testDb();
const { pipeline } = testPipeline(db, { CREATE_LIMIT_PER_EMAIL: '2' });

describe('mail to a project address', () => {
	it('opens a ticket with the subject as title, signature dropped, and queues the confirmation', async () => {
		const project = await makeProject(db);
		const raw = await buildMail({
			from: 'Nora New <nora@example.net>',
			to: `${project.key}@${DOMAIN}`,
			subject: 'VPN drops every hour',
			text: 'Since Monday the VPN disconnects hourly.\n\n-- \nNora'
		});
		expect((await pipeline.receive(raw, envelope(`${project.key}@${DOMAIN}`))).kind).toBe('stored');
		const t = await db
			.selectFrom('tickets')
			.selectAll()
			.where('project_id', '=', project.id)
			.executeTakeFirstOrThrow();
		expect(t).toMatchObject({
			title: 'VPN drops every hour',
			description: 'Since Monday the VPN disconnects hourly.',
			reporter_email: 'nora@example.net',
			reporter_name: 'Nora New',
			source: 'email'
		});
		const mail = await db
			.selectFrom('outbound_emails')
			.select('kind')
			.where('ticket_id', '=', t.id)
			.execute();
		expect(mail).toEqual([{ kind: 'ticket_created' }]);
	});

	it('holds to the per-email create limit and the alias works like the key', async () => {
		const project = await makeProject(db);
		await db
			.updateTable('projects')
			.set({ mail_alias: `help-${project.key}` })
			.where('id', '=', project.id)
			.execute();
		const address = `help-${project.key}@${DOMAIN}`;
		const kinds = [];
		for (let i = 0; i < 3; i++) {
			const raw = await buildMail({
				from: 'limit@example.net',
				to: address,
				subject: `n${i}`,
				text: 'x'
			});
			kinds.push((await pipeline.receive(raw, envelope(address))).kind);
		}
		expect(kinds).toEqual(['stored', 'stored', 'dropped']);
	});

	it('an intake-only project sends one notice (rate limited) and opens no ticket', async () => {
		const project = await makeProject(db, { anonymous_creation: 0 });
		const address = `${project.key}@${DOMAIN}`;
		for (let i = 0; i < 2; i++) {
			const raw = await buildMail({
				from: 'out@example.net',
				to: address,
				subject: 'hi',
				text: `t${i}`
			});
			expect((await pipeline.receive(raw, envelope(address, 'out@example.net'))).kind).toBe(
				'dropped'
			);
		}
		const tickets = await db
			.selectFrom('tickets')
			.select('id')
			.where('project_id', '=', project.id)
			.execute();
		expect(tickets).toEqual([]);
		const notices = await sql<{
			payload: string;
		}>`SELECT payload FROM outbound_emails WHERE kind = 'inbound_notice'`.execute(db);
		const mine = notices.rows.filter((r) => JSON.parse(r.payload).projectId === project.id);
		expect(mine.map((r) => JSON.parse(r.payload).to)).toEqual(['out@example.net']);
	});

	it('refuses an address nobody has; ignores mail from the portal itself', async () => {
		const raw = await buildMail({
			from: 'a@example.org',
			to: `x@${DOMAIN}`,
			subject: 's',
			text: 't'
		});
		expect(await pipeline.receive(raw, envelope(`nobody@${DOMAIN}`))).toEqual({
			kind: 'refused',
			detail: 'no such recipient'
		});
		const project = await makeProject(db);
		const loop = await buildMail({
			from: `reply+x@${DOMAIN}`,
			to: `${project.key}@${DOMAIN}`,
			subject: 'loop',
			text: 'loop'
		});
		expect((await pipeline.receive(loop, envelope(`${project.key}@${DOMAIN}`))).kind).toBe(
			'dropped'
		);
	});

	it('nothing from the inbound mail reaches the confirmation’s headers: encoded CR/LF in Subject and name', async () => {
		const project = await makeProject(db);
		const address = `${project.key}@${DOMAIN}`;
		const b64 = (t: string) => `=?utf-8?B?${Buffer.from(t).toString('base64')}?=`;
		const raw = new TextEncoder().encode(
			[
				`From: ${b64('Eve\r\nBcc: victim@example.com')} <eve@example.net>`,
				`To: ${address}`,
				`Subject: ${b64('Hello\r\nBcc: victim@example.com\r\nX-Evil: 1')}`,
				`Message-ID: <inject-${uid()}@example.net>`,
				'Content-Type: text/plain; charset=utf-8',
				'',
				'Body'
			].join('\r\n')
		);
		expect((await pipeline.receive(raw, envelope(address, 'eve@example.net'))).kind).toBe('stored');
		const row = await db
			.selectFrom('outbound_emails as o')
			.innerJoin('tickets as t', 't.id', 'o.ticket_id')
			.selectAll('o')
			.where('t.project_id', '=', project.id)
			.executeTakeFirstOrThrow();
		const compose = createComposer({
			origin: 'https://help.example.com',
			mailFrom: 'help@example.com',
			secret: TEST_SECRET,
			inboundDomain: DOMAIN
		});
		const message = (await compose(db, row)) as MailMessage;
		const built = await new Promise<Buffer>((res, rej) =>
			new MailComposer(message).compile().build((e, m) => (e ? rej(e) : res(m)))
		);
		const headerBlock = built.toString('utf8').split('\r\n\r\n')[0];
		expect(headerBlock).not.toMatch(/^(Bcc|X-Evil):/im);
		const parsed = await PostalMime.parse(built);
		expect(parsed.bcc).toBeUndefined();
		expect(parsed.subject).toBe(
			'[Test Project] We received your ticket: Hello Bcc: victim@example.com X-Evil: 1'
		);
	});
});
