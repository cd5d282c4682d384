import type { Conn } from '$lib/server/db';

/** Records that a suggested doc answered a reporter's question instead of a ticket. */
export async function recordDeflection(
	db: Conn,
	input: { projectKey: string; slug: string; now?: number }
): Promise<void> {
	await db
		.insertInto('doc_deflections')
		.values({
			project_key: input.projectKey,
			doc_slug: input.slug,
			created_at: input.now ?? Date.now()
		})
		.execute();
}

/** How many times a project's docs answered a question (optionally since a time, in ms). */
export async function countDeflections(
	db: Conn,
	projectKey: string,
	options: { since?: number } = {}
): Promise<number> {
	const row = await db
		.selectFrom('doc_deflections')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('project_key', '=', projectKey)
		.where('created_at', '>=', options.since ?? 0)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Deflections per doc, most first (for the staff dashboard). */
export async function countDeflectionsByDoc(
	db: Conn,
	projectKey: string,
	options: { since?: number } = {}
): Promise<{ slug: string; count: number }[]> {
	const rows = await db
		.selectFrom('doc_deflections')
		.select((eb) => ['doc_slug as slug', eb.fn.countAll<number>().as('count')])
		.where('project_key', '=', projectKey)
		.where('created_at', '>=', options.since ?? 0)
		.groupBy('doc_slug')
		.orderBy('count', 'desc')
		.orderBy('doc_slug')
		.execute();
	return rows.map((r) => ({ slug: r.slug, count: Number(r.count) }));
}
