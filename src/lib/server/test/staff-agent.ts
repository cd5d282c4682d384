import type { Conn } from '$lib/server/db';

/** For specs: an agent account (random email unless given). */
export function makeAgent(db: Conn, input: { email?: string; name?: string } = {}) {
	return db
		.insertInto('staff_users')
		.values({
			email: input.email ?? `agent-${Math.random().toString(36).slice(2)}@example.com`,
			name: input.name ?? 'Agent Smith',
			password_hash: 'x',
			role: 'agent',
			disabled_at: null,
			created_at: 0
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}
