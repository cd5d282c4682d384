import { describe, expect, it } from 'vitest';
import * as projectAdmin from '$lib/server/projects/admin';
import * as threads from '$lib/server/threads';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { splitToken } from '$lib/server/tokens';
import { createComposer } from '$lib/server/notifications';
import * as staffActions from '$lib/server/staff/actions';
import type { MailMessage } from '$lib/server/notifications';
import { offered } from './resolve';

// Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (see vite.config.ts).
const { db } = testDb();
const compose = createComposer({
	origin: 'http://localhost:3000',
	mailFrom: 'help@example.com',
	secret: TEST_SECRET
});

const mailsOf = async (ticketId: number, kind: string) => {
	const rows = await db
		.selectFrom('outbound_emails')
		.selectAll()
		.where('ticket_id', '=', ticketId)
		.where('kind', '=', kind)
		.orderBy('id')
		.execute();
	return Promise.all(rows.map(async (r) => (await compose(db, r)) as MailMessage));
};

describe('project languages (0015)', () => {
	it('a new project offers every language with English as the default', async () => {
		const p = await makeProject(db);
		expect(p.default_locale).toBe('en');
		expect(p.locales).toBeNull();
		expect(offered(p).allowed).toEqual(['en', 'de', 'fr', 'es']);
	});

	it('stores the default and the offered languages; the default is always offered', async () => {
		const p = await makeProject(db);
		await projectAdmin.setLanguages(db, p.id, { defaultLocale: 'de', locales: ['fr', 'xx'] });
		let row = await db
			.selectFrom('projects')
			.selectAll()
			.where('id', '=', p.id)
			.executeTakeFirstOrThrow();
		expect([row.default_locale, row.locales]).toEqual(['de', 'de,fr']);
		expect(offered(row)).toEqual({ fallback: 'de', allowed: ['de', 'fr'] });
		// Every shipped language = NULL: a language shipped later is offered too.
		await projectAdmin.setLanguages(db, p.id, {
			defaultLocale: 'es',
			locales: ['en', 'de', 'fr', 'es']
		});
		row = await db
			.selectFrom('projects')
			.selectAll()
			.where('id', '=', p.id)
			.executeTakeFirstOrThrow();
		expect([row.default_locale, row.locales]).toEqual(['es', null]);
	});
});

describe("mail in the recipient's language", () => {
	it('the confirmation is written in the language the reporter used', async () => {
		const { ticket, reporter } = await makeTicket(db, { reporterLocale: 'de', title: 'Drucker' });
		expect(reporter.locale).toBe('de');
		const [mail] = await mailsOf(ticket.id, 'ticket_created');
		expect(mail.subject).toBe('[Test Project] Wir haben Ihr Ticket erhalten: Drucker');
		expect(mail.text).toContain('Guten Tag Rita Reporter,');
		expect(mail.text).toContain('Ihr Ticket ansehen: http://localhost:3000/ticket/thread/');
		expect(mail.text).toContain('Abmelden: http://localhost:3000/ticket/unsubscribe/');
		expect(mail.html).toContain('<body lang="de"');
	});

	it("without a stored language, mail follows the project's default", async () => {
		const p = await makeProject(db);
		await projectAdmin.setLanguages(db, p.id, { defaultLocale: 'fr', locales: [] });
		const { ticket } = await makeTicket(db, { projectId: p.id });
		const [mail] = await mailsOf(ticket.id, 'ticket_created');
		expect(mail.subject).toBe('[Test Project] Nous avons bien reçu votre ticket : Printer on fire');
	});

	it('a reply stores the language used; later staff replies (English dashboard) use it', async () => {
		const { ticket, reporter } = await makeTicket(db, { reporterLocale: 'en' });
		const token = splitToken(TEST_SECRET, 'thread', reporter.public_id, reporter.token_version);
		const thread = await threads.findByToken(db, TEST_SECRET, token);
		await threads.reply(db, thread!, { body: 'Hola', locale: 'es' });
		const stored = await db
			.selectFrom('ticket_recipients')
			.select('locale')
			.where('id', '=', reporter.id)
			.executeTakeFirstOrThrow();
		expect(stored.locale).toBe('es');
		const staff = await db
			.insertInto('staff_users')
			.values({
				email: `agent-${reporter.public_id}@example.com`,
				name: 'Agent',
				password_hash: 'x',
				role: 'agent',
				disabled_at: null,
				created_at: Date.now()
			})
			.returning(['id', 'name'])
			.executeTakeFirstOrThrow();
		await staffActions.write(db, {
			ticketId: ticket.id,
			actor: staff,
			body: 'We are on it.',
			internal: false
		});
		const [mail] = await mailsOf(ticket.id, 'staff_reply');
		expect(mail.text).toContain(
			'El equipo de soporte de Test Project ha respondido en «Printer on fire».'
		);
		expect(mail.text).toContain('Agent escribió:');
		expect(mail.text).toContain('Responder: http://localhost:3000/ticket/thread/');
	});
});
