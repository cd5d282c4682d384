// `npm run battery`: the fault battery. Starts the built portal on loopback on fresh data
// folders and attacks it the way a hostile client and an unlucky operator would; one line per
// check with its figures, exit code 1 when any check fails. Not part of `npm test`: it takes a
// few minutes and bounds its own load (a handful of connections at a time, except the checks
// whose point is parallelism), and gives up after BATTERY_TIMEOUT_MS.
//   npm run battery                 every check
//   npm run battery -- tokens crash only the named checks (bodies, crash, parallel, tokens, second-start)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfStale } from './build-if-stale.js';
import { checkBadBodies } from './battery/check-bodies.js';
import { checkCrashes } from './battery/check-crash.js';
import { checkParallel } from './battery/check-parallel.js';
import { checkSecondStart } from './battery/check-second-start.js';
import { checkTokens } from './battery/check-tokens.js';
import { freePort, startPortal } from './battery/server.js';

const RSS_BOUND_MB = Number(process.env.BATTERY_RSS_MB || 400);
const TIMEOUT_MS = Number(process.env.BATTERY_TIMEOUT_MS || 20 * 60_000);
const KEEP = process.env.BATTERY_KEEP === '1';
const SHOW = Number(process.env.BATTERY_SHOW || 25);

const CHECKS = {
	bodies: {
		title: 'bad bodies and uploads',
		run: (s) => checkBadBodies({ server: s, rssBoundMb: RSS_BOUND_MB })
	},
	crash: { title: 'kill -9 under writers', fresh: true, run: (_, ctx) => checkCrashes(ctx) },
	parallel: { title: 'parallel replies and creates', run: (s) => checkParallel({ server: s }) },
	tokens: { title: 'random and near-miss tokens', run: (s) => checkTokens({ server: s }) },
	'second-start': {
		title: 'second start on a live folder',
		run: (s) => checkSecondStart({ server: s })
	}
};

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(CHECKS);
for (const w of wanted) {
	if (!CHECKS[w]) {
		console.error(`Unknown check "${w}". Checks: ${Object.keys(CHECKS).join(', ')}`);
		process.exit(2);
	}
}

const folders = [];
const servers = new Set();
function freshDir(tag) {
	const dir = mkdtempSync(join(tmpdir(), `portal-battery-${tag}-`));
	folders.push(dir);
	return dir;
}

function cleanUp() {
	for (const s of servers) s.child.kill('SIGKILL');
	if (!KEEP) for (const d of folders) rmSync(d, { recursive: true, force: true });
}

const watchdog = setTimeout(() => {
	console.log(`FAIL battery: gave up after ${TIMEOUT_MS / 1000} s (BATTERY_TIMEOUT_MS)`);
	cleanUp();
	process.exit(1);
}, TIMEOUT_MS);
watchdog.unref();
process.on('SIGINT', () => {
	cleanUp();
	process.exit(130);
});

if (buildIfStale()) console.log('(built the portal first)');
console.log(`Fault battery: ${wanted.join(', ')} — loopback only, RSS bound ${RSS_BOUND_MB} MB`);

let failed = 0;
for (const name of wanted) {
	const check = CHECKS[name];
	const started = Date.now();
	const dataDir = freshDir(name);
	const ctx = {
		dataDir,
		port: await freePort(),
		track: (s) => servers.add(s),
		untrack: (s) => servers.delete(s)
	};
	let server = null;
	let result;
	try {
		if (!check.fresh) {
			server = await startPortal({ dataDir, port: ctx.port });
			servers.add(server);
		}
		result = await check.run(server, ctx);
		if (server) {
			const log = server.output();
			const errors = log
				.split('\n')
				.filter((l) =>
					/"level":(50|60)|SQLITE_BUSY|database is locked|Unhandled|unhandled/.test(l)
				);
			if (errors.length) {
				result.ok = false;
				result.failures.push(
					`${errors.length} error-level log line(s), first: ${errors[0].slice(0, 300)}`
				);
			}
		}
	} catch (err) {
		result = { ok: false, figure: 'could not run', failures: [String(err?.stack ?? err)] };
	} finally {
		if (server) {
			await server.stop();
			servers.delete(server);
		}
	}
	const secs = ((Date.now() - started) / 1000).toFixed(0);
	console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${check.title} (${secs} s): ${result.figure}`);
	if (!result.ok) {
		failed++;
		// The same defect seen through several requests is one line with a count.
		const counted = new Map();
		for (const f of result.failures) counted.set(f, (counted.get(f) ?? 0) + 1);
		const shown = [...counted].slice(0, SHOW);
		for (const [f, n] of shown) console.log(`       - ${n > 1 ? `(${n}×) ` : ''}${f}`);
		if (counted.size > shown.length)
			console.log(`       … and ${counted.size - shown.length} more`);
	}
}

cleanUp();
if (KEEP) console.log(`Data folders kept: ${folders.join(' ')}`);
console.log(
	failed ? `${failed} of ${wanted.length} checks failed` : `All ${wanted.length} checks passed`
);
process.exit(failed ? 1 : 0);
