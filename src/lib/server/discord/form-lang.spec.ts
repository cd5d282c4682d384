import { describe, expect, it } from 'vitest';
import type { ProjectLanguages } from '$lib/server/i18n/resolve';
import type { FieldDef, FullTemplate } from './template';
import { checkBasics, formLang, modal, planForm } from './form';

// The /ticket modal's own words (labels, hints, checks) in the Discord client's language; the
// template's labels stay as the project wrote them.
const every: ProjectLanguages = { default_locale: 'en', locales: null };

const field = (over: Partial<FieldDef>): FieldDef =>
	({
		key: 'f',
		label: 'Order number',
		kind: 'text',
		required: true,
		visibility: 'public',
		help: '',
		options: [],
		min: null,
		max: null,
		pattern: null,
		defaultValue: null,
		...over
	}) as FieldDef;

const template = {
	fields: [
		field({ key: 'qty', label: 'Quantity', kind: 'number' }),
		field({ key: 'when', label: 'Since when', kind: 'date' }),
		field({
			key: 'sev',
			label: 'Severity',
			kind: 'select',
			options: [
				{ value: 'high', label: 'High' },
				{ value: 'low', label: 'Low' }
			]
		})
	]
} as unknown as FullTemplate;

/** The first modal's inputs as Discord receives them: label and placeholder by custom_id. */
function inputsOf(discordLocale: string | undefined, project: ProjectLanguages = every) {
	const plan = planForm(template, formLang(discordLocale, project));
	if (!plan.ok) throw new Error('plan failed');
	const data = modal('ticket:x:0', 'New ticket', plan.steps[0], {});
	return Object.fromEntries(
		data.components.map(({ components: [c] }) => [c.custom_id, [c.label, c.placeholder]])
	);
}

describe('Discord modal labels', () => {
	it('in English', () => {
		expect(inputsOf('en-US')).toEqual({
			title: ['Title', 'A short summary'],
			description: ['Description', 'What do you need help with?'],
			cf_qty: ['Quantity', 'A number'],
			cf_when: ['Since when', 'YYYY-MM-DD, e.g. 2026-01-31'],
			cf_sev: ['Severity', 'One of: High, Low']
		});
	});

	it('in German, French and Spanish (the template’s labels as written)', () => {
		expect(inputsOf('de')).toEqual({
			title: ['Titel', 'Eine kurze Zusammenfassung'],
			description: ['Beschreibung', 'Wobei brauchen Sie Hilfe?'],
			cf_qty: ['Quantity', 'Eine Zahl'],
			cf_when: ['Since when', 'JJJJ-MM-TT, z. B. 2026-01-31'],
			cf_sev: ['Severity', 'Eine der Möglichkeiten: High, Low']
		});
		expect(inputsOf('fr')).toMatchObject({
			title: ['Titre', 'Un bref résumé'],
			description: ['Description', 'Pour quoi avez-vous besoin d’aide ?'],
			cf_qty: ['Quantity', 'Un nombre']
		});
		expect(inputsOf('es-ES')).toMatchObject({
			title: ['Título', 'Un breve resumen'],
			description: ['Descripción', '¿Con qué necesita ayuda?'],
			cf_when: ['Since when', 'AAAA-MM-DD, p. ej. 2026-01-31']
		});
		// Latin American Spanish is Spanish too.
		expect(inputsOf('es-419').title).toEqual(['Título', 'Un breve resumen']);
	});

	it("falls back to the project's default language, else English", () => {
		expect(inputsOf('pt-BR', { default_locale: 'de', locales: null }).title[0]).toBe('Titel');
		expect(inputsOf('ja').title[0]).toBe('Title');
		expect(inputsOf(undefined, { default_locale: 'fr', locales: null }).title[0]).toBe('Titre');
		// A language the project does not offer counts as any other.
		expect(inputsOf('es', { default_locale: 'de', locales: 'de,fr' }).title[0]).toBe('Titel');
		expect(inputsOf('fr', { default_locale: 'de', locales: 'de,fr' }).title[0]).toBe('Titre');
	});

	it('checks the title and description in the same language', () => {
		const o = formLang('de', every);
		expect(checkBasics({ title: 'x', description: '' }, o)).toEqual({
			title: 'Geben Sie dem Ticket einen Titel mit mindestens 3 Zeichen.',
			description: 'Beschreiben Sie, wobei Sie Hilfe brauchen.'
		});
		expect(checkBasics({ title: 'two\nlines', description: 'ok' }, o).title).toBe(
			'Der Titel muss in eine Zeile passen.'
		);
	});
});
