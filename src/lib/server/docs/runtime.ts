// What routes need at request (or prerender) time. Not re-exported from index.ts: it reads the
// running app, and app.ts imports the docs module.
import { app } from '$lib/server/app';
import { loadConfig } from '$lib/server/config';
import { createLimiters, isShared } from '$lib/server/rate-limit';

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

let limiters: ReturnType<typeof make> | undefined;

function make() {
	const { config, limits } = app();
	return {
		// Suggestions fire while typing: in memory on one instance (a lost counter is harmless,
		// a SQLite write per keystroke is not); in the shared store when several instances run.
		suggest: createLimiters(
			{ suggest: { points: config.docs.suggestPerMinute, durationSec: 60 } },
			isShared(limits) ? limits : undefined
		),
		deflect: createLimiters({ deflect: { points: config.docs.deflectPerHour, durationSec: 3600 } }, limits)
	};
}

/** The docs endpoints' rate limits, created on first use. */
export function docsLimits() {
	limiters ??= make();
	return limiters;
}
