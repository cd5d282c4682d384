import { sql } from 'kysely';
import type { Conn } from '$lib/server/db';
import { containsText } from '$lib/server/db/dialect';
import type { Customer } from '$lib/server/db/schema';
import { hashToken, randomToken } from '$lib/server/tokens';

const DAY = 86_400_000;

/** Creates a customer (a company or person tickets can be linked to). */
export function create(
	db: Conn,
	input: { name: string; email?: string | null; notes?: string },
	now = Date.now()
) {
	return db
		.insertInto('customers')
		.values({
			name: input.name,
			email: input.email ?? null,
			notes: input.notes ?? '',
			created_at: now
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}

/** Customers by name (for the dashboard). */
export function list(db: Conn, search = ''): Promise<Customer[]> {
	let q = db.selectFrom('customers').selectAll();
	if (search) q = q.where(containsText(db, [sql.ref<string>('name')], search));
	return q.orderBy('name').limit(500).execute();
}

/** A customer by id, or undefined. */
export function get(db: Conn, id: number): Promise<Customer | undefined> {
	return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findByName(db: Conn, name: string): Promise<Customer | undefined> {
	return db.selectFrom('customers').selectAll().where('name', '=', name).executeTakeFirst();
}

/**
 * Creates a project-scoped, time-limited intake link for a customer. Returns the token, which is
 * shown once: only its SHA-256 is stored.
 */
export async function createIntakeLink(
	db: Conn,
	input: { projectId: number; customerId: number; days: number; createdBy?: number | null },
	now = Date.now()
): Promise<{ token: string; id: number; expiresAt: number }> {
	const token = randomToken();
	const expiresAt = now + Math.max(1, input.days) * DAY;
	const row = await db
		.insertInto('customer_intake_links')
		.values({
			token_hash: hashToken(token),
			project_id: input.projectId,
			customer_id: input.customerId,
			expires_at: expiresAt,
			revoked_at: null,
			created_by: input.createdBy ?? null,
			created_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return { token, id: row.id, expiresAt };
}

/**
 * The customer an intake token grants in this project, or undefined when the token is unknown,
 * malformed, for another project, expired or revoked (all alike to the caller).
 */
export async function resolveIntake(
	db: Conn,
	projectId: number,
	token: string,
	now = Date.now()
): Promise<Customer | undefined> {
	if (!/^[a-z2-7]{32}$/.test(token)) return undefined;
	const link = await db
		.selectFrom('customer_intake_links')
		.selectAll()
		.where('token_hash', '=', hashToken(token))
		.executeTakeFirst();
	if (!link || link.project_id !== projectId || link.revoked_at !== null || link.expires_at <= now)
		return undefined;
	return db
		.selectFrom('customers')
		.selectAll()
		.where('id', '=', link.customer_id)
		.executeTakeFirst();
}

/** A customer's intake links (never the token), newest first. */
export function listIntakeLinks(db: Conn, customerId: number) {
	return db
		.selectFrom('customer_intake_links')
		.innerJoin('projects', 'projects.id', 'customer_intake_links.project_id')
		.select([
			'customer_intake_links.id',
			'projects.key as projectKey',
			'projects.name as projectName',
			'customer_intake_links.expires_at as expiresAt',
			'customer_intake_links.revoked_at as revokedAt',
			'customer_intake_links.created_at as createdAt'
		])
		.where('customer_id', '=', customerId)
		.orderBy('customer_intake_links.id', 'desc')
		.execute();
}

/** Revokes an intake link at once. */
export async function revokeIntakeLink(db: Conn, id: number, now = Date.now()): Promise<void> {
	await db
		.updateTable('customer_intake_links')
		.set({ revoked_at: now })
		.where('id', '=', id)
		.where('revoked_at', 'is', null)
		.execute();
}
