import { describe, expect, it } from 'vitest';
import { DomainError } from '$lib/server/errors';
import { makeProject } from '$lib/server/test/factories';
import { testDb } from '$lib/server/test/test-db';
import * as admin from './admin';

const { db } = testDb();

const settings = (mailAlias: string | null) => ({
	name: 'P',
	description: '',
	defaultTypeId: null,
	enforcedTemplateId: null,
	anonymous: true,
	mailAlias
});

const aliasOf = async (id: number) =>
	(
		await db
			.selectFrom('projects')
			.select('mail_alias')
			.where('id', '=', id)
			.executeTakeFirstOrThrow()
	).mail_alias;

describe('project mail aliases', () => {
	it('sets, lower-cases and clears an alias', async () => {
		const p = await makeProject(db);
		await admin.update(db, p.id, settings(` Billing-${p.key} `));
		expect(await aliasOf(p.id)).toBe(`billing-${p.key}`);
		await admin.update(db, p.id, settings(''));
		expect(await aliasOf(p.id)).toBeNull();
	});

	it('refuses an alias another project has as alias or key, a reply+ look-alike and bad characters', async () => {
		const a = await makeProject(db);
		const b = await makeProject(db);
		await admin.update(db, a.id, settings(`help-${a.key}`));
		for (const bad of [`help-${a.key}`, a.key, 'reply+x', 'reply-desk', 'Has Space', '-dash']) {
			const err = await admin.update(db, b.id, settings(bad)).then(
				() => bad,
				(e: unknown) => e
			);
			expect(err, bad).toMatchObject({ field: 'mailAlias' });
		}
		// A new project cannot take an alias as its key either.
		await expect(admin.create(db, { key: `help-${a.key}`, name: 'X' })).rejects.toBeInstanceOf(
			DomainError
		);
		expect(await aliasOf(b.id)).toBeNull();
	});
});
