// Builds the app when build/ is missing or older than anything it is built from.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = [
	'src',
	'migrations',
	'messages',
	'project.inlang',
	'content',
	'static',
	'messages',
	'project.inlang',
	'i18n.config.js',
	'svelte.config.js',
	'vite.config.ts',
	'package-lock.json'
];

function newest(path) {
	if (!existsSync(path)) return 0;
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	let max = s.mtimeMs;
	for (const e of readdirSync(path)) max = Math.max(max, newest(join(path, e)));
	return max;
}

/** Whether build/ must be (re)built. */
export function isStale() {
	const marker = join(root, 'build', 'handler.js');
	if (!existsSync(marker)) return true;
	const built = statSync(marker).mtimeMs;
	return SOURCES.some((s) => newest(join(root, s)) > built);
}

export function buildIfStale() {
	if (!isStale()) return false;
	console.log('Building Ticket Portal (the build is missing or older than the sources)…');
	const started = Date.now();
	const result = spawnSync(
		process.execPath,
		[join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
		{
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	// Dependencies' build warnings (circular imports inside superforms' adapters) are noise for a
	// self-hoster; show everything only when the build fails.
	if (result.status !== 0) {
		process.stderr.write(result.stdout + result.stderr);
		throw new Error(`The build failed (exit code ${result.status}).`);
	}
	console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
	return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) buildIfStale();
