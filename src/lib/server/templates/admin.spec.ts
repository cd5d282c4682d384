import { DomainError } from '$lib/server/errors';
import { makeProject } from '$lib/server/test/factories';
import { testDb } from '$lib/server/test/test-db';
import { describe, expect, it } from 'vitest';
import * as projectAdmin from '$lib/server/projects/admin';
import * as admin from './admin';

const { db } = testDb();

const field = (over: Partial<admin.FieldInput> = {}): admin.FieldInput => ({
	key: 'queue',
	label: 'Queue',
	help: '',
	kind: 'text',
	visibility: 'public',
	required: false,
	defaultValue: '',
	options: '',
	min: '',
	max: '',
	pattern: '',
	position: 1,
	...over
});

describe('template editing', () => {
	it('refuses a hidden or read-only required field without a default, accepts one with it', async () => {
		const p = await makeProject(db);
		const t = await admin.create(db, p.id, { name: 'T', description: '', selectable: false });
		for (const visibility of ['hidden', 'readonly'] as const) {
			await expect(
				admin.saveField(db, t.id, field({ visibility, required: true }))
			).rejects.toThrow(/needs a default/);
		}
		await admin.saveField(
			db,
			t.id,
			field({ visibility: 'hidden', required: true, defaultValue: 'triage' })
		);
		const saved = (await admin.get(db, t.id))!.fields;
		expect(saved).toHaveLength(1);
		expect(JSON.parse(saved[0].default_value!)).toBe('triage');
	});

	it('stores typed defaults per kind and options from lines; saving the same key updates', async () => {
		const p = await makeProject(db);
		const t = await admin.create(db, p.id, { name: 'T', description: '', selectable: true });
		await admin.saveField(
			db,
			t.id,
			field({ key: 'sev', kind: 'select', options: 'low | Low\nhigh|High', defaultValue: 'high' })
		);
		await admin.saveField(
			db,
			t.id,
			field({ key: 'count', kind: 'number', defaultValue: '3', min: '0', max: '9' })
		);
		await admin.saveField(db, t.id, field({ key: 'ok', kind: 'checkbox', defaultValue: 'yes' }));
		await expect(
			admin.saveField(
				db,
				t.id,
				field({ key: 'sev2', kind: 'select', options: 'a', defaultValue: 'b' })
			)
		).rejects.toThrow(/option/);
		await expect(admin.saveField(db, t.id, field({ key: 'bad', pattern: '(' }))).rejects.toThrow(
			/regular expression/
		);
		await admin.saveField(
			db,
			t.id,
			field({ key: 'count', kind: 'number', label: 'How many', defaultValue: '4' })
		);
		const fields = (await admin.get(db, t.id))!.fields;
		const by = Object.fromEntries(fields.map((f) => [f.key, f]));
		expect(JSON.parse(by.sev.options)).toEqual([
			{ value: 'low', label: 'Low' },
			{ value: 'high', label: 'High' }
		]);
		expect(JSON.parse(by.sev.default_value!)).toBe('high');
		expect(by.count.label).toBe('How many');
		expect(JSON.parse(by.count.default_value!)).toBe(4);
		expect(JSON.parse(by.ok.default_value!)).toBe(true);
	});

	it('binds one template per ticket type, only the project’s own', async () => {
		const p = await makeProject(db);
		const other = await makeProject(db);
		const a = await admin.create(db, p.id, { name: 'A', description: '', selectable: false });
		const b = await admin.create(db, p.id, { name: 'B', description: '', selectable: false });
		const foreign = await admin.create(db, other.id, {
			name: 'F',
			description: '',
			selectable: false
		});
		const type = await projectAdmin.addType(db, p.id, { key: 'outage', name: 'Outage' });
		await admin.bind(db, p.id, type.id, a.id);
		await admin.bind(db, p.id, type.id, b.id);
		await expect(admin.bind(db, p.id, type.id, foreign.id)).rejects.toThrow(DomainError);
		const bindings = await admin.listBindings(db, p.id);
		expect(bindings.map((x) => [x.typeKey, x.templateName])).toEqual([['outage', 'B']]);
	});

	it('project types may not shadow built-in keys', async () => {
		const p = await makeProject(db);
		await expect(projectAdmin.addType(db, p.id, { key: 'problem', name: 'Mine' })).rejects.toThrow(
			/built-in/
		);
	});
});
