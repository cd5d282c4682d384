// Profiling aid (not part of `npm run bench`): RSS of the portal after each kind of load, one at a
// time, to find which requests make it grow. `node scripts/bench/rss-probe.js [seconds] [node flags…]`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hit } from './load.js';
import { root, rssMb, startServer } from './processes.js';
import * as seed from './seed.js';

const seconds = Number(process.argv[2] ?? 3);
const flags = process.argv.slice(3);
const work = mkdtempSync(join(tmpdir(), 'portal-rss-'));
const dataDir = join(work, 'main');
const env = {
	DATA_DIR: dataDir,
	CREATE_LIMIT_PER_CLIENT: '0',
	CREATE_LIMIT_PER_EMAIL: '0',
	CREATE_LIMIT_GLOBAL: '0',
	REPLY_LIMIT_PER_TOKEN: '0',
	SPAM_POW_AFTER: '0',
	DOCS_SUGGEST_PER_MINUTE: '0',
	UPLOAD_TOKEN_DAILY_BYTES: '0',
	UPLOAD_TOKEN_PER_HOUR: '0',
	UPLOAD_CLIENT_DAILY_BYTES: '0',
	...(process.env.PROBE_ENV ? JSON.parse(process.env.PROBE_ENV) : {})
};
const portal = await startServer('portal', join(root, 'scripts/start.js'), env, '/healthz', flags);
try {
	await new Promise((r) => setTimeout(r, 2000));
	const show = (what) =>
		console.log(
			`${what.padEnd(28)} RSS ${rssMb(portal.pid).toFixed(0).padStart(4)} MB  peak ${rssMb(portal.pid, 'VmHWM').toFixed(0).padStart(4)} MB`
		);
	show('idle');
	const dbFile = join(dataDir, 'portal.db');
	seed.bulkSeed(dbFile, 1000);
	const small = await seed.noiseJpeg(60_000);
	const mb1 = await seed.noiseJpeg(1024 * 1024);
	const thread = await seed.thread(portal.origin, small);
	const cookie = seed.staffCookie(dbFile);
	show('seeded');
	const o = portal.origin;
	const create = new URLSearchParams(seed.ticketFields(2)).toString();
	const withJpeg = seed.multipart(seed.ticketFields(3), [
		{ name: 'files', filename: 'photo.jpg', type: 'image/jpeg', data: mb1 }
	]);
	const specs = [
		['thread', { url: o + thread.path }],
		[
			'poll204',
			{ url: `${o}${thread.path}/messages?after=${encodeURIComponent(thread.cursor)}`, status: 204 }
		],
		['suggest', { url: `${o}/ticket/demo/suggestions?q=attach` }],
		['inbox', { url: `${o}/app`, headers: { cookie } }],
		['doc', { url: `${o}/doc/demo/attaching-files` }],
		[
			'createJs',
			{
				url: `${o}/ticket/demo?/create`,
				method: 'POST',
				headers: seed.jsPost(o, 'application/x-www-form-urlencoded'),
				body: create
			}
		],
		[
			'createJpeg',
			{
				url: `${o}/ticket/demo?/create`,
				method: 'POST',
				headers: seed.jsPost(o, withJpeg.type),
				body: withJpeg.body,
				connections: 5
			}
		]
	];
	const only = process.env.PROBE_ONLY?.split(',');
	for (const [name, spec] of specs) {
		if (only && !only.includes(name)) continue;
		const r = await hit(spec, seconds, Number(process.env.PROBE_CONNECTIONS ?? 50));
		show(`${name} (${r.rps.toFixed(0)} req/s)`);
	}
	if (process.env.PROBE_WAIT) {
		await new Promise((r) => setTimeout(r, Number(process.env.PROBE_WAIT)));
		show('after wait');
	}
} finally {
	await portal.stop();
	rmSync(work, { recursive: true, force: true });
}
