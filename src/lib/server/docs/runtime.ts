// What routes need at request (or prerender) time. Not re-exported from index.ts: it reads the
// running app, and app.ts imports the docs module.
import { app } from '$lib/server/app';
import { loadConfig } from '$lib/server/config';

let buildDir: string | undefined;

/**
 * DOCS_DIR of the running app; while prerendering (`vite build`, no app started) the same
 * setting read from the environment.
 */
export function docsDir(): string {
	try {
		return app().config.docs.dir;
	} catch {
		buildDir ??= loadConfig().docs.dir;
		return buildDir;
	}
}
