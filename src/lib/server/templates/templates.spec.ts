import { describe, expect, it } from 'vitest';
import type { Db } from '$lib/server/db';
import type { NewTemplateField } from '$lib/server/db/schema';
import * as projects from '$lib/server/projects';
import { makeProject } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as templates from './index';

const { db } = testDb();

async function makeTemplate(
	db: Db,
	projectId: number,
	name: string,
	opts: { selectable?: 0 | 1; archived?: boolean; fields?: Partial<NewTemplateField>[] } = {}
) {
	const now = Date.now();
	const t = await db
		.insertInto('templates')
		.values({
			project_id: projectId,
			name,
			selectable: opts.selectable ?? 0,
			archived_at: opts.archived ? now : null,
			created_at: now,
			updated_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const fields = opts.fields ?? [
		{ key: name.toLowerCase().replace(/[^a-z]/g, ''), label: name, kind: 'text' }
	];
	if (fields.length) {
		await db
			.insertInto('template_fields')
			.values(
				fields.map((f, i) => ({
					template_id: t.id,
					key: `f${i}`,
					label: `Field ${i}`,
					help: '',
					kind: 'text' as const,
					required: 0 as const,
					visibility: 'public' as const,
					options: '[]',
					default_value: null,
					min: null,
					max: null,
					pattern: null,
					position: i,
					...f
				}))
			)
			.execute();
	}
	return t.id;
}

async function bind(projectId: number, templateId: number, typeId: number | null) {
	await db
		.insertInto('template_bindings')
		.values({
			project_id: projectId,
			ticket_type_id: typeId,
			template_id: templateId,
			created_at: Date.now()
		})
		.execute();
}

async function typeIds(projectId: number) {
	const types = await projects.listTypes(db, projectId);
	return Object.fromEntries(types.map((t) => [t.key, t.id])) as Record<string, number>;
}

describe('template resolution', () => {
	it('type binding > project enforced > selectable > none', async () => {
		const p = await makeProject(db);
		const types = await typeIds(p.id);
		const bound = await makeTemplate(db, p.id, 'Bound');
		const enforced = await makeTemplate(db, p.id, 'Enforced');
		const pickA = await makeTemplate(db, p.id, 'Pick A', { selectable: 1 });
		const pickB = await makeTemplate(db, p.id, 'Pick B');
		await makeTemplate(db, p.id, 'Archived', { selectable: 1, archived: true });
		await bind(p.id, bound, types.problem);
		await bind(p.id, pickB, null); // offered project-wide through a binding without a type

		const catalog = (enforcedId: number | null) =>
			templates.loadCatalog(db, TEST_SECRET, { id: p.id, enforced_template_id: enforcedId });
		const withEnforced = await catalog(enforced);
		const withChoices = await catalog(null);
		const keyOf = (id: number) => templates.publicKey(TEST_SECRET, id);
		const name = (r: templates.Resolved) => [
			r.mode,
			r.template?.name ?? null,
			r.choices.map((c) => c.name)
		];

		const table: [templates.Catalog, number, string | null, unknown][] = [
			[withEnforced, types.problem, null, ['type', 'Bound', []]],
			[withEnforced, types.question, null, ['project', 'Enforced', []]],
			[withEnforced, types.question, keyOf(pickA), ['project', 'Enforced', []]],
			[withChoices, types.problem, keyOf(pickA), ['type', 'Bound', []]],
			[withChoices, types.question, null, ['choice', null, ['Pick A', 'Pick B']]],
			[withChoices, types.question, keyOf(pickA), ['choice', 'Pick A', ['Pick A', 'Pick B']]],
			[withChoices, types.question, keyOf(bound), ['choice', null, ['Pick A', 'Pick B']]],
			[withChoices, types.question, String(pickA), ['choice', null, ['Pick A', 'Pick B']]]
		];
		for (const [c, typeId, chosen, expected] of table)
			expect(name(templates.resolve(c, typeId, chosen))).toEqual(expected);

		const empty = await makeProject(db);
		const none = await templates.loadCatalog(db, TEST_SECRET, empty);
		expect(name(templates.resolve(none, types.problem, keyOf(pickA)))).toEqual(['none', null, []]);
	});

	it('the public menu gives the browser the same answer, with public fields only and no ids', async () => {
		const p = await makeProject(db);
		const types = await projects.listTypes(db, p.id);
		const problem = types.find((t) => t.key === 'problem')!;
		const id = await makeTemplate(db, p.id, 'Report', {
			fields: [
				{ key: 'browser', label: 'Browser', kind: 'text', required: 1, max: 120 },
				{
					key: 'sentinelhidden',
					label: 'Secret queue',
					kind: 'text',
					visibility: 'hidden',
					default_value: JSON.stringify('SENTINEL-Q')
				},
				{
					key: 'sentinelro',
					label: 'Tier',
					kind: 'text',
					visibility: 'readonly',
					default_value: JSON.stringify('SENTINEL-RO')
				}
			]
		});
		await bind(p.id, id, problem.id);
		const catalog = await templates.loadCatalog(db, TEST_SECRET, p);
		const menu = templates.publicMenu(catalog, types);
		const text = JSON.stringify(menu);
		for (const leak of [
			'sentinelhidden',
			'SENTINEL-Q',
			'Secret queue',
			'sentinelro',
			'SENTINEL-RO',
			'default',
			`"id"`
		])
			expect(text).not.toContain(leak);
		expect(menu.byType).toEqual({ problem: templates.publicKey(TEST_SECRET, id) });
		expect(templates.pick(menu, 'problem', null).template?.fields).toEqual([
			{
				key: 'browser',
				label: 'Browser',
				help: '',
				kind: 'text',
				required: true,
				options: [],
				min: null,
				max: 120,
				pattern: null
			}
		]);
		expect(templates.pick(menu, 'question', null).mode).toBe('none');
	});
});

describe('custom field values', () => {
	const full = async (fields: Partial<NewTemplateField>[]) => {
		const p = await makeProject(db);
		const id = await makeTemplate(db, p.id, 'T', { fields, selectable: 1 });
		return (await templates.loadCatalog(db, TEST_SECRET, p)).templates.get(id)!;
	};
	const form = (entries: [string, string][]) => {
		const fd = new FormData();
		for (const [k, v] of entries) fd.append(k, v);
		return fd;
	};

	it('apply hidden and read-only defaults and ignore what the browser sends for them', async () => {
		const t = await full([
			{ key: 'browser', label: 'Browser', kind: 'text', required: 1 },
			{
				key: 'queue',
				label: 'Queue',
				kind: 'text',
				required: 1,
				visibility: 'hidden',
				default_value: JSON.stringify('triage-l1')
			},
			{
				key: 'sla',
				label: 'SLA',
				kind: 'text',
				visibility: 'readonly',
				default_value: JSON.stringify('standard')
			},
			{ key: 'nodefault', label: 'Internal', kind: 'text', visibility: 'hidden' }
		]);
		const raw = templates.publicRaw(
			t,
			form([
				['cf_browser', ' Firefox 128 '],
				['cf_queue', 'vip'],
				['cf_sla', 'platinum'],
				['cf_nodefault', 'x'],
				['cf_other', 'y']
			])
		);
		expect(raw).toEqual({ browser: ' Firefox 128 ' });
		expect(templates.readFields(t, raw)).toEqual({
			ok: true,
			values: { browser: 'Firefox 128', queue: 'triage-l1', sla: 'standard' }
		});
		const snap = JSON.stringify(templates.snapshot(t));
		expect(snap).toContain('"visibility":"hidden"');
		expect(snap).toContain('"default":"triage-l1"');
	});

	it('validate required public fields and each kind on the server', async () => {
		const t = await full([
			{ key: 'browser', label: 'Browser', kind: 'text', required: 1, pattern: '[A-Za-z]+ \\d+' },
			{ key: 'count', label: 'Users affected', kind: 'number', min: 1, max: 10 },
			{ key: 'contact', label: 'Other contact', kind: 'email' },
			{ key: 'site', label: 'Site', kind: 'url' },
			{ key: 'when', label: 'Since', kind: 'date' },
			{
				key: 'sev',
				label: 'Severity',
				kind: 'select',
				options: JSON.stringify([{ value: 'low', label: 'Low' }])
			},
			{
				key: 'areas',
				label: 'Areas',
				kind: 'multiselect',
				required: 1,
				options: JSON.stringify([
					{ value: 'ui', label: 'UI' },
					{ value: 'api', label: 'API' }
				])
			},
			{ key: 'agree', label: 'I agree', kind: 'checkbox', required: 1 }
		]);
		const bad = templates.readFields(
			t,
			templates.publicRaw(
				t,
				form([
					['cf_browser', 'firefox'],
					['cf_count', '11'],
					['cf_contact', 'nope'],
					['cf_site', 'javascript:alert(1)'],
					['cf_when', '2024-02-30'],
					['cf_sev', 'high'],
					['cf_areas', 'db']
				])
			)
		);
		expect(bad.ok).toBe(false);
		if (bad.ok) return;
		expect(Object.keys(bad.errors).sort()).toEqual([
			'agree',
			'areas',
			'browser',
			'contact',
			'count',
			'sev',
			'site',
			'when'
		]);
		expect(bad.errors.count).toEqual(['“Users affected” must be at most 10.']);

		expect(templates.readFields(t, templates.publicRaw(t, form([]))).ok).toBe(false);
		const missing = templates.readFields(t, templates.publicRaw(t, form([['cf_areas', 'ui']])));
		expect(missing.ok === false && missing.errors.browser).toEqual(['Fill in “Browser”.']);

		const good = templates.readFields(
			t,
			templates.publicRaw(
				t,
				form([
					['cf_browser', 'Firefox 128'],
					['cf_count', '3'],
					['cf_contact', 'a@example.com'],
					['cf_site', 'https://example.com/x'],
					['cf_when', '2024-02-29'],
					['cf_sev', 'low'],
					['cf_areas', 'api'],
					['cf_areas', 'ui'],
					['cf_agree', 'on']
				])
			)
		);
		expect(good).toEqual({
			ok: true,
			values: {
				browser: 'Firefox 128',
				count: 3,
				contact: 'a@example.com',
				site: 'https://example.com/x',
				when: '2024-02-29',
				sev: 'low',
				areas: ['ui', 'api'],
				agree: true
			}
		});
	});

	it('no template: no custom values at all', () => {
		expect(templates.readFields(null, {})).toEqual({ ok: true, values: {} });
		expect(templates.publicRaw(null, form([['cf_x', 'y']]))).toEqual({});
	});
});
