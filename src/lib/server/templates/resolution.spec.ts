import { describe, expect, it } from 'vitest';
import { makeProject } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as projects from '$lib/server/projects';
import * as templates from './index';
import { bind, makeTemplate, typeIds } from '$lib/server/test/templates';

const { db } = testDb();

describe('template resolution', () => {
	it('type binding > project enforced > selectable > none', async () => {
		const p = await makeProject(db);
		const types = await typeIds(db, p.id);
		const bound = await makeTemplate(db, p.id, 'Bound');
		const enforced = await makeTemplate(db, p.id, 'Enforced');
		const pickA = await makeTemplate(db, p.id, 'Pick A', { selectable: 1 });
		const pickB = await makeTemplate(db, p.id, 'Pick B');
		await makeTemplate(db, p.id, 'Archived', { selectable: 1, archived: true });
		await bind(db, p.id, bound, types.problem);
		await bind(db, p.id, pickB, null); // offered project-wide through a binding without a type

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
		await bind(db, p.id, id, problem.id);
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
