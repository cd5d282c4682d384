import { beforeAll, describe, expect, it } from 'vitest';
import * as threads from '$lib/server/threads';
import { makeProject } from '$lib/server/test/factories';
import {
	buttonOf,
	GUILD,
	inputsOf,
	ORIGIN,
	send as sendIn,
	testContext
} from '$lib/server/test/discord/interactions';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as guilds from './guilds';
import { bindTemplate } from '$lib/server/test/templates';
import { buttonClick, modalSubmit, testUser, ticketCommand } from '$lib/server/test/discord/sign';

const { db } = testDb();
const ctx = testContext(db);
const send = (i: unknown) => sendIn(ctx, i);
let projectKey = '';

beforeAll(async () => {
	const project = await makeProject(db, { name: 'Acme Support' });
	projectKey = project.key;
	await guilds.link(db, GUILD, project.id);
	// "problem" needs 5 required fields (7 inputs with title and description: two modals), one
	// optional field that Discord does not ask and a hidden default the ticket still gets.
	await bindTemplate(db, project.id, 'problem', [
		{ key: 'browser' },
		{ key: 'version' },
		{ key: 'os', label: 'Operating system' },
		{ key: 'steps', kind: 'textarea' },
		{
			key: 'severity',
			kind: 'select',
			options: [
				{ value: 'blocker', label: 'I cannot work' },
				{ value: 'minor', label: 'A small annoyance' }
			]
		},
		{ key: 'notes', required: false },
		{ key: 'queue', visibility: 'hidden', defaultValue: 'triage-l1' }
	]);
	await bindTemplate(db, project.id, 'feature', [
		{
			key: 'areas',
			label: 'Affected areas',
			kind: 'multiselect',
			options: [{ value: 'ui', label: 'UI' }]
		}
	]);
});

describe('/ticket', () => {
	it('answers with a modal of title and description when the type has no template', async () => {
		const r = await send(ticketCommand(GUILD));
		expect(r.type).toBe(9);
		expect(inputsOf(r.data)).toEqual(['title', 'description']);
		expect(r.data.title).toBe('New ticket: Acme Support');
	});

	it('asks the required public fields of the chosen type over two modals and creates the ticket', async () => {
		const first = await send(ticketCommand(GUILD, 'problem'));
		expect(first.type).toBe(9);
		expect(first.data.title).toBe('New ticket (1 of 2)');
		expect(inputsOf(first.data)).toEqual([
			'title',
			'description',
			'cf_browser',
			'cf_version',
			'cf_os'
		]);
		expect(first.data.custom_id).toMatch(/^ticket:[a-z2-7]{16}:0$/);

		const saved = await send(
			modalSubmit(GUILD, first.data.custom_id, {
				title: 'Export crashes',
				description: 'Every time I export.',
				cf_browser: 'Firefox 128',
				cf_version: '2.4',
				cf_os: 'Linux'
			})
		);
		expect(saved.type).toBe(4);
		expect(saved.data.flags & 64).toBe(64);
		expect(saved.data.content).toContain('Step 1 of 2 saved');
		const next = buttonOf(saved.data)!;
		expect(next.label).toBe('Continue');

		const second = await send(buttonClick(GUILD, next.custom_id));
		expect(second.type).toBe(9);
		expect(second.data.title).toBe('New ticket (2 of 2)');
		expect(inputsOf(second.data)).toEqual(['cf_steps', 'cf_severity']);
		expect(second.data.components[1].components[0].placeholder).toBe(
			'One of: I cannot work, A small annoyance'
		);

		// A choice that is not an option: told so, with a button back to the same modal, answers kept.
		const wrong = await send(
			modalSubmit(GUILD, second.data.custom_id, {
				cf_steps: 'Click export',
				cf_severity: 'apocalyptic'
			})
		);
		expect(wrong.data.content).toContain('Choose one of the options');
		const fix = buttonOf(wrong.data)!;
		expect(fix.custom_id).toBe(second.data.custom_id);
		const again = await send(buttonClick(GUILD, fix.custom_id));
		expect(again.data.components[0].components[0].value).toBe('Click export');

		// The option's label is accepted and stored as its value.
		const done = await send(
			modalSubmit(GUILD, second.data.custom_id, {
				cf_steps: 'Click export',
				cf_severity: 'i cannot work'
			})
		);
		expect(done.type).toBe(4);
		expect(done.data.flags & 64).toBe(64);
		const link = /https:\/\/help\.example\.com\/ticket\/thread\/(\S+)/.exec(done.data.content)?.[1];
		expect(link, done.data.content).toBeDefined();

		const thread = await threads.findByToken(db, TEST_SECRET, link!);
		expect(thread).toBeDefined();
		const { ticket, recipient } = thread!;
		expect(recipient.role).toBe('reporter');
		expect(recipient.channel).toBe('discord');
		expect(ticket).toMatchObject({
			title: 'Export crashes',
			description: 'Every time I export.',
			source: 'discord',
			discord_user_id: testUser.id,
			discord_display_name: 'Ferris the Crab',
			reporter_email: `${testUser.id}@users.discord.invalid`
		});
		expect(JSON.parse(ticket.custom_fields)).toEqual({
			browser: 'Firefox 128',
			version: '2.4',
			os: 'Linux',
			steps: 'Click export',
			severity: 'blocker',
			queue: 'triage-l1'
		});
		// The form is forgotten: its buttons now say it expired.
		const stale = await send(buttonClick(GUILD, next.custom_id));
		expect(stale.data.content).toContain('expired');
	});

	it('does not let another Discord user continue someone else’s form', async () => {
		const first = await send(ticketCommand(GUILD, 'problem'));
		const other = { id: '99999999999999999', username: 'mallory', global_name: null };
		const r = await send(
			modalSubmit(GUILD, first.data.custom_id, { title: 'Hijack', description: 'x' }, other)
		);
		expect(r.data.content).toContain('expired');
	});

	it('says the form expired after the time-to-live', async () => {
		const first = await send(ticketCommand(GUILD, 'problem'));
		await db
			.updateTable('discord_sessions')
			.set({ expires_at: Date.now() - 1 })
			.execute();
		const r = await send(
			modalSubmit(GUILD, first.data.custom_id, { title: 'Late', description: 'Too late' })
		);
		expect(r.data.content).toContain('expired');
		expect(
			await db.selectFrom('tickets').select('id').where('title', '=', 'Late').executeTakeFirst()
		).toBeUndefined();
	});

	it('refuses a type with a required field Discord cannot ask, pointing to the web form', async () => {
		const before = await db
			.selectFrom('discord_sessions')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		const r = await send(ticketCommand(GUILD, 'feature'));
		expect(r.type).toBe(4);
		expect(r.data.flags & 64).toBe(64);
		expect(r.data.content).toContain('“Affected areas”');
		expect(r.data.content).toContain(`${ORIGIN}/ticket/${projectKey}`);
		const after = await db
			.selectFrom('discord_sessions')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(after.n).toBe(before.n);
	});

	it('tells a server that is not linked how to link it', async () => {
		const r = await send(ticketCommand('2222222222222222222'));
		expect(r.data.content).toContain('not linked');
		expect(r.data.content).toContain('discord link --guild 2222222222222222222');
	});

	it("answers in the Discord client's language", async () => {
		const r = await send({ ...ticketCommand('2222222222222222222'), locale: 'de' });
		expect(r.data.content).toContain(
			'Dieser Server ist noch mit keinem Support-Projekt verknüpft.'
		);
		const fr = await send({ ...ticketCommand(GUILD), locale: 'fr' });
		expect(fr.data.title).toMatch(/^Nouveau ticket/);
	});

	it('checks the title before creating anything', async () => {
		const first = await send(ticketCommand(GUILD));
		const r = await send(
			modalSubmit(GUILD, first.data.custom_id, { title: 'x', description: 'Something' })
		);
		expect(r.data.content).toContain('title of at least 3 characters');
		expect(buttonOf(r.data)?.label).toBe('Fix answers');
	});
});
