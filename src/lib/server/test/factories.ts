import type { Db } from '$lib/server/db';
import * as tickets from '$lib/server/tickets';
import { publicId, randomToken } from '$lib/server/tokens';

/** A project with a random key; built-in ticket types come from the migration. */
export async function makeProject(
	db: Db,
	values: { key?: string; name?: string; anonymous_creation?: 0 | 1 } = {}
) {
	const now = Date.now();
	return db
		.insertInto('projects')
		.values({
			key: values.key ?? `p${randomToken(5)}`,
			name: values.name ?? 'Test Project',
			default_ticket_type_id: null,
			enforced_template_id: null,
			anonymous_creation: values.anonymous_creation ?? 1,
			created_at: now,
			updated_at: now
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}

/** A ticket (with its reporter recipient) in a new or given project. */
export async function makeTicket(db: Db, input: Partial<tickets.CreateTicket> = {}) {
	const projectId = input.projectId ?? (await makeProject(db)).id;
	const type = await db
		.selectFrom('ticket_types')
		.select('id')
		.where('key', '=', 'question')
		.executeTakeFirstOrThrow();
	return tickets.create(db, {
		projectId,
		ticketTypeId: type.id,
		title: 'Printer on fire',
		description: 'It is on fire.',
		reporterEmail: `reporter-${randomToken(4)}@example.com`,
		reporterName: 'Rita Reporter',
		...input
	});
}

/** Adds a cc recipient to a ticket. */
export async function addRecipient(
	db: Db,
	ticketId: number,
	email: string,
	name: string | null = null
) {
	return db
		.insertInto('ticket_recipients')
		.values({
			ticket_id: ticketId,
			public_id: publicId(),
			email,
			name,
			role: 'cc',
			created_at: Date.now()
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}
