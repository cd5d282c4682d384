import { describe, expect, it } from 'vitest';
import type { Db } from '$lib/server/db';
import * as projects from '$lib/server/projects';
import { makeProject } from '$lib/server/test/factories';
import { bind, makeTemplate, typeIds } from '$lib/server/test/templates';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { formConfig } from './form-config';
import { loadCatalog } from './index';

const { db } = testDb();

/** The project row as a request reads it, then its form configuration. */
async function form(db: Db, id: number) {
	const project = (await projects.get(db, id))!;
	return formConfig(db, TEST_SECRET, project);
}

/** The same configuration read fresh from the tables, as the page read it before. */
async function fresh(db: Db, id: number) {
	const project = (await projects.get(db, id))!;
	return {
		types: await projects.listTypes(db, id),
		catalog: await loadCatalog(db, TEST_SECRET, project)
	};
}

const same = async (id: number) => {
	const got = await form(db, id);
	expect({ types: [...got.types], catalog: got.catalog }).toStrictEqual(await fresh(db, id));
	return got;
};

describe('the create form configuration (remembered per project)', () => {
	it('is read once, then again after every kind of change to types, templates, fields or bindings', async () => {
		const p = await makeProject(db);
		const first = await same(p.id);
		expect(await form(db, p.id)).toBe(first); // nothing changed: no statement, same object

		const now = Date.now();
		const changes: [string, () => Promise<unknown>][] = [
			[
				'a type of the project',
				() =>
					db
						.insertInto('ticket_types')
						.values({ project_id: p.id, key: 'billing', name: 'Billing', created_at: now })
						.execute()
			],
			[
				'a built-in type (every project)',
				() =>
					db
						.updateTable('ticket_types')
						.set({ name: 'Question?' })
						.where('project_id', 'is', null)
						.where('key', '=', 'question')
						.execute()
			],
			['a template with a field', () => makeTemplate(db, p.id, 'Crash report')],
			[
				'a binding',
				async () =>
					bind(
						db,
						p.id,
						(await fresh(db, p.id)).catalog.choiceIds[0] ?? (await makeTemplate(db, p.id, 'B')),
						(await typeIds(db, p.id)).billing
					)
			],
			[
				'a field label',
				() => db.updateTable('template_fields').set({ label: 'Steps to reproduce' }).execute()
			],
			['a field removed', () => db.deleteFrom('template_fields').execute()],
			['a binding removed', () => db.deleteFrom('template_bindings').execute()],
			[
				'a type archived',
				() =>
					db
						.updateTable('ticket_types')
						.set({ archived_at: now })
						.where('key', '=', 'billing')
						.execute()
			],
			[
				'a template archived',
				() =>
					db
						.updateTable('templates')
						.set({ archived_at: now })
						.where('project_id', '=', p.id)
						.execute()
			]
		];
		let before = first;
		for (const [what, change] of changes) {
			await change();
			const after = await same(p.id);
			expect(after, what).not.toBe(before);
			expect(await form(db, p.id), what).toBe(after);
			before = after;
		}
		// The project's own enforced template is part of what the catalog says.
		const enforced = await makeTemplate(db, p.id, 'Enforced');
		await same(p.id);
		await db
			.updateTable('projects')
			.set({ enforced_template_id: enforced })
			.where('id', '=', p.id)
			.execute();
		expect((await same(p.id)).catalog.enforcedId).toBe(enforced);
	});

	it('a change to one project is seen by the other projects too, never their stale form', async () => {
		const a = await makeProject(db);
		const b = await makeProject(db);
		const formB = await same(b.id);
		await makeTemplate(db, a.id, 'Only A');
		await same(a.id);
		// B's form is the same in content; it was read again, which is correct and cheap.
		const again = await same(b.id);
		expect(again.catalog).toStrictEqual(formB.catalog);
	});
});
