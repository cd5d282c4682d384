import { beforeAll, describe, expect, it } from 'vitest';
import * as projectAdmin from '$lib/server/projects/admin';
import { makeProject } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { modalSubmit, ticketCommand } from '$lib/server/test/discord/sign';
import * as guilds from './guilds';
import { handle, type Interaction } from './interactions';
import { createDiscordLimits } from './limits';

// The /ticket form through the interaction handler: its language is the Discord client's when
// the project offers it, else the project's default (runs on SQLite and PostgreSQL).
const { db } = testDb();
const ctx = {
	db,
	secret: TEST_SECRET,
	origin: 'https://help.example.com',
	limits: createDiscordLimits({
		perUser: { points: 100, durationSec: 3600 },
		global: { points: 1000, durationSec: 3600 }
	}),
	formTtlMs: 30 * 60_000
};
const EVERY = '3333333333333333333';
const SOME = '4444444444444444444';

type Data = {
	custom_id: string;
	title: string;
	content: string;
	components: { components: { label: string; placeholder?: string }[] }[];
};
const send = async (i: unknown) =>
	((await handle(ctx, i as Interaction)).response.data ?? {}) as Data;
const labels = (d: Data) => d.components.map((r) => r.components[0].label);

beforeAll(async () => {
	await guilds.link(db, EVERY, (await makeProject(db, { name: 'Every' })).id);
	const some = await makeProject(db, { name: 'Some' });
	await projectAdmin.setLanguages(db, some.id, { defaultLocale: 'fr', locales: ['de'] });
	await guilds.link(db, SOME, some.id);
});

describe('the /ticket form in the Discord client’s language', () => {
	it('labels and placeholders in German, French, Spanish and English', async () => {
		const cases: [string, string[], string][] = [
			['de', ['Titel', 'Beschreibung'], 'Eine kurze Zusammenfassung'],
			['fr', ['Titre', 'Description'], 'Un bref résumé'],
			['es-ES', ['Título', 'Descripción'], 'Un breve resumen'],
			['en-GB', ['Title', 'Description'], 'A short summary'],
			// Not shipped: the project's default (English here).
			['ja', ['Title', 'Description'], 'A short summary']
		];
		for (const [locale, expected, placeholder] of cases) {
			const d = await send({ ...ticketCommand(EVERY), locale });
			expect(labels(d), locale).toEqual(expected);
			expect(d.components[0].components[0].placeholder, locale).toBe(placeholder);
		}
	});

	it("a language the project does not offer gets the project's default, checks included", async () => {
		const es = await send({ ...ticketCommand(SOME), locale: 'es-ES' });
		expect(es.title).toBe('Nouveau ticket : Some');
		expect(labels(es)).toEqual(['Titre', 'Description']);
		const de = await send({ ...ticketCommand(SOME), locale: 'de' });
		expect(labels(de)).toEqual(['Titel', 'Beschreibung']);
		const wrong = await send({
			...modalSubmit(SOME, es.custom_id, { title: 'x', description: 'Bonjour' }),
			locale: 'es-ES'
		});
		expect(wrong.content).toContain('au moins 3 caractères');
	});
});
