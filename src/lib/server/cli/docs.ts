import type { Config } from '$lib/server/config';
import { connectDatabase } from '$lib/server/db';
import * as docs from '$lib/server/docs';

/** `docs reindex`: rebuilds the suggestions' search index from DOCS_DIR (safe while running). */
export const docsReindex = {
	usage: 'docs reindex',
	summary: 'rebuild the docs search index from DOCS_DIR (content/docs)',
	async run(_args: string[], config: Config): Promise<number> {
		const { db, close } = await connectDatabase(config);
		try {
			const result = await docs.reindex(db, config.docs.dir);
			for (const p of result.problems) console.warn(`Skipped ${p}`);
			console.log(
				`Indexed ${result.docs} public doc(s) of ${result.projects} project(s) from ${config.docs.dir}`
			);
			return result.problems.length ? 1 : 0;
		} finally {
			await close();
		}
	}
};
