import { shipped, type Locale } from '$lib/server/i18n/resolve';
import { DomainError } from '$lib/server/errors';
import type { Conn } from '$lib/server/db';
import type { PowMode, Project } from '$lib/server/db/schema';

/** Projects with their open-ticket counts, by name. */
export function list(db: Conn) {
	return db
		.selectFrom('projects')
		.select((eb) => [
			'projects.id',
			'projects.key',
			'projects.name',
			'projects.anonymous_creation',
			eb
				.selectFrom('tickets')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('tickets.project_id', '=', 'projects.id')
				.where('tickets.status', 'in', ['open', 'waiting'])
				.as('active')
		])
		.orderBy('name')
		.execute();
}

/** Creates a project; its key is part of public URLs and cannot be taken twice. */
export async function create(
	db: Conn,
	input: { key: string; name: string; description?: string },
	now = Date.now()
): Promise<Project> {
	const taken = await db
		.selectFrom('projects')
		.select('key')
		.where((eb) => eb.or([eb('key', '=', input.key), eb('mail_alias', '=', input.key)]))
		.executeTakeFirst();
	if (taken)
		throw new DomainError(
			taken.key === input.key
				? 'A project with this key exists already.'
				: 'Another project uses this as its mail alias.',
			'key'
		);
	return db
		.insertInto('projects')
		.values({
			key: input.key,
			name: input.name,
			description: input.description ?? '',
			default_ticket_type_id: null,
			enforced_template_id: null,
			created_at: now,
			updated_at: now
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}

/**
 * Updates a project's ticket settings. The default type must be one the project offers, the
 * enforced template one of its own templates (or none).
 */
export async function update(
	db: Conn,
	projectId: number,
	input: {
		name: string;
		description: string;
		defaultTypeId: number | null;
		enforcedTemplateId: number | null;
		anonymous: boolean;
		/** Mail alias ('' or null = none); unique among aliases and project keys. */
		mailAlias?: string | null;
		/** My tickets lists this project's tickets; undefined = unchanged. */
		portal?: boolean;
		csat?: boolean;
		powMode?: PowMode;
	},
	now = Date.now()
): Promise<void> {
	const alias = input.mailAlias?.trim().toLowerCase() || null;
	if (alias !== null) {
		if (!/^[a-z0-9][a-z0-9.-]{0,63}$/.test(alias) || alias.startsWith('reply'))
			throw new DomainError(
				'Use lower-case letters, digits, dots and dashes (not starting with “reply”).',
				'mailAlias'
			);
		const clash = await db
			.selectFrom('projects')
			.select('id')
			.where('id', '!=', projectId)
			.where((eb) => eb.or([eb('key', '=', alias), eb('mail_alias', '=', alias)]))
			.executeTakeFirst();
		if (clash)
			throw new DomainError('Another project has this address as its key or alias.', 'mailAlias');
	}
	if (input.enforcedTemplateId !== null) {
		const t = await db
			.selectFrom('templates')
			.select('id')
			.where('id', '=', input.enforcedTemplateId)
			.where('project_id', '=', projectId)
			.executeTakeFirst();
		if (!t) throw new DomainError('Choose one of this project’s templates.', 'enforcedTemplate');
	}
	await db
		.updateTable('projects')
		.set({
			name: input.name,
			description: input.description,
			default_ticket_type_id: input.defaultTypeId,
			enforced_template_id: input.enforcedTemplateId,
			anonymous_creation: input.anonymous ? 1 : 0,
			...(input.mailAlias !== undefined ? { mail_alias: alias } : {}),
			...(input.portal === undefined ? {} : { portal_enabled: input.portal ? 1 : 0 }),
			...(input.csat === undefined ? {} : { csat_enabled: input.csat ? 1 : 0 }),
			...(input.powMode === undefined ? {} : { pow_mode: input.powMode }),
			updated_at: now
		})
		.where('id', '=', projectId)
		.execute();
}

/** Adds a custom ticket type to a project. Its key may not shadow a built-in type's. */
export async function addType(
	db: Conn,
	projectId: number,
	input: { key: string; name: string; description?: string },
	now = Date.now()
) {
	const clash = await db
		.selectFrom('ticket_types')
		.select('project_id')
		.where('key', '=', input.key)
		.where((eb) => eb.or([eb('project_id', 'is', null), eb('project_id', '=', projectId)]))
		.executeTakeFirst();
	if (clash)
		throw new DomainError(
			clash.project_id === null
				? 'A built-in type has this key.'
				: 'This project has a type with this key already.',
			'key'
		);
	const last = await db
		.selectFrom('ticket_types')
		.select((eb) => eb.fn.max('position').as('p'))
		.executeTakeFirst();
	return db
		.insertInto('ticket_types')
		.values({
			project_id: projectId,
			key: input.key,
			name: input.name,
			description: input.description ?? '',
			position: Number(last?.p ?? 0) + 10,
			archived_at: null,
			created_at: now
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}

/** Archives one of the project's own types (built-in ones stay); tickets keep their type. */
export async function archiveType(
	db: Conn,
	projectId: number,
	typeId: number,
	now = Date.now()
): Promise<boolean> {
	const r = await db
		.updateTable('ticket_types')
		.set({ archived_at: now })
		.where('id', '=', typeId)
		.where('project_id', '=', projectId)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/**
 * A project's languages for reporters (0015): the default (used when nothing else matches) and
 * the offered ones. Unknown codes are dropped, the default is always offered; offering every
 * shipped language is stored as NULL, so a language added later is offered too.
 */
export async function setLanguages(
	db: Conn,
	projectId: number,
	input: { defaultLocale: Locale; locales: readonly string[] }
): Promise<void> {
	const listed = shipped.filter((l) => l === input.defaultLocale || input.locales.includes(l));
	await db
		.updateTable('projects')
		.set({
			default_locale: input.defaultLocale,
			locales: listed.length === shipped.length ? null : listed.join(','),
			updated_at: Date.now()
		})
		.where('id', '=', projectId)
		.execute();
}
