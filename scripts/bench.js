// `npm run bench`: the portal against its own stack's ceilings, measured in one run.
//   npm run bench                 everything (about 10 minutes on 2 busy cores)
//   npm run bench -- --quick      shorter rounds, no 1,000,000-ticket database
//   npm run bench -- --scale 1k   full rounds, no 1,000,000-ticket database
//   npm run bench -- --only scale only the 1k and 1M scale rows (their own portals, no reference)
//   options: --rounds N --seconds S --connections N (default 50) --out file.json --db sqlite|postgres
//   --memory: only the portal's rows and its RSS (idle, under load, 10 large uploads); no table
//   --db postgres: each portal on a new database of TEST_DATABASE_URL's server (dropped afterwards)
// Builds if stale, starts the built portal on fresh data folders with limits off, seeds it, and
// interleaves rounds of every measure (A B C … A B C …) so machine noise hits all rows alike.
// Ratios are against references measured in the same run; see README "Performance".
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfStale } from './build-if-stale.js';
import { interleave } from './bench/load.js';
import { buildBaseline, peakRss, root, rssMb, startServer } from './bench/processes.js';
import { NODE_ARGS, NODE_ENV } from './node-tuning.js';
import { thumbnails } from './bench/refs.js';
import { pageSpecs, scaleRows } from './bench/scale.js';
import * as seed from './bench/seed.js';
import { postgresStores, sqliteStores } from './bench/stores.js';
import { ratio, table } from './bench/table.js';

const { values: opt } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		scale: { type: 'string', default: '1m' },
		rounds: { type: 'string' },
		seconds: { type: 'string' },
		connections: { type: 'string', default: '50' },
		db: { type: 'string', default: 'sqlite' },
		memory: { type: 'boolean', default: false },
		only: { type: 'string' },
		out: { type: 'string' }
	}
});
if (opt.db !== 'sqlite' && opt.db !== 'postgres') {
	console.error(`--db ${opt.db}: use sqlite (default) or postgres`);
	process.exit(2);
}
if (opt.only !== undefined && opt.only !== 'scale') {
	console.error(`--only ${opt.only}: the one part that runs alone is scale`);
	process.exit(2);
}
if (opt.db === 'postgres' && !/^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? '')) {
	console.error(`--db postgres needs TEST_DATABASE_URL=postgres://user@host:5432/db: a server where the
benchmark may create (and afterwards drop) databases of its own.`);
	process.exit(2);
}
const rounds = Number(opt.rounds ?? (opt.quick ? 2 : 3));
const seconds = Number(opt.seconds ?? (opt.quick ? 2 : 3));
// On a machine this busy 50 connections can keep every answer past a short round's end (nothing
// completes, 0 req/s); fewer connections give the same throughput with shorter latencies.
const connections = Number(opt.connections);
const big = !opt.quick && opt.scale.toLowerCase() !== '1k';

/** The portal's settings for a benchmark: every limit off, big uploads allowed. */
export const portalEnv = (dataDir) => ({
	DATA_DIR: dataDir,
	CREATE_LIMIT_PER_CLIENT: '0',
	CREATE_LIMIT_PER_EMAIL: '0',
	CREATE_LIMIT_GLOBAL: '0',
	REPLY_LIMIT_PER_TOKEN: '0',
	SPAM_POW_AFTER: '0',
	DOCS_SUGGEST_PER_MINUTE: '0',
	DOCS_DEFLECT_PER_HOUR: '0',
	UPLOAD_TOKEN_DAILY_BYTES: '0',
	UPLOAD_TOKEN_PER_HOUR: '0',
	UPLOAD_CLIENT_DAILY_BYTES: '0',
	PUBLIC_UPLOAD_MAX_BYTES: String(400 * 1024 * 1024),
	PUBLIC_UPLOAD_MAX_FILE_BYTES: String(100 * 1024 * 1024),
	PUBLIC_UPLOAD_MAX_FILES: '10'
});

const started = Date.now();
const log = (s) =>
	console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`);
buildIfStale();
const baseline = opt.only ? null : buildBaseline();
const work = mkdtempSync(join(tmpdir(), 'ticket-portal-bench-'));
const servers = [];
const stores =
	opt.db === 'postgres' ? postgresStores(process.env.TEST_DATABASE_URL) : sqliteStores(work);
async function cleanUp() {
	for (const s of servers) await s.stop();
	await stores.close();
	rmSync(work, { recursive: true, force: true });
}
log(`database: ${stores.kind}`);
if (opt.only === 'scale') {
	try {
		const args = { connections, work, big, rounds, seconds, servers, log, portalEnv, stores };
		const scale = await scaleRows({ ...args, small: await seed.noiseJpeg(60_000) });
		console.log(`\n${table(scale.rows)}\n${scale.summary}`);
	} finally {
		await cleanUp();
	}
	process.exit();
}
try {
	const dataDir = join(work, 'main');
	const store = await stores.fresh('main', dataDir);
	const portal = await startServer(
		'portal',
		join(root, 'scripts/start.js'),
		{ ...NODE_ENV, ...portalEnv(dataDir), ...store.env },
		'/healthz',
		NODE_ARGS
	);
	servers.push(portal);
	const hello = await startServer('hello', join(root, 'scripts/bench/hello.js'), {});
	servers.push(hello);
	const kit = await startServer('baseline', baseline.index, {});
	servers.push(kit);
	await new Promise((r) => setTimeout(r, 3000));
	const idle = { portal: rssMb(portal.pid), baseline: rssMb(kit.pid) };
	log(`RSS idle: portal ${idle.portal.toFixed(0)} MB, baseline app ${idle.baseline.toFixed(0)} MB`);

	const o = portal.origin;
	const small = await seed.noiseJpeg(60_000);
	const mb1 = await seed.noiseJpeg(1024 * 1024);
	log(`seeded ${(await store.bulkSeed(1000)).tickets} tickets`);
	const thread = await seed.thread(o, small);
	const replyTo = await seed.createTicket(o, seed.ticketFields(1));
	const cookie = await store.staffCookie();
	log('seeded a 20-message thread, a reply target and a staff session');

	const url = (q) => ({
		'content-type': 'application/x-www-form-urlencoded',
		body: new URLSearchParams(q).toString()
	});
	const create = url(seed.ticketFields(2));
	const withJpeg = seed.multipart(seed.ticketFields(3), [
		{ name: 'files', filename: 'photo.jpg', type: 'image/jpeg', data: mb1 }
	]);
	const replyBody = url({ name: 'Bench Reporter', body: 'Thanks, that worked for me as well.' });
	const specs = [
		{ key: 'hello', label: 'node:http hello (reference)', url: hello.origin + '/' },
		{ key: 'ssr', label: 'SvelteKit empty SSR page (reference)', url: kit.origin + '/' },
		{ key: 'static', label: 'SvelteKit static file (reference)', url: kit.origin + '/hello.txt' },
		{
			key: 'ssrThread',
			label: "SvelteKit page with the thread's content, from memory (reference)",
			url: kit.origin + '/thread'
		},
		stores.commits(),
		...pageSpecs(o, { thread, cookie }).slice(0, 2),
		{
			key: 'createHtml',
			label: 'Create POST, no files, no-JS path (303)',
			url: `${o}/ticket/demo?/create`,
			method: 'POST',
			headers: seed.htmlPost(o, create['content-type']),
			body: create.body,
			status: 303
		},
		{
			key: 'createJpeg',
			label: 'Create POST with a 1 MB JPEG (5 conn.)',
			url: `${o}/ticket/demo?/create`,
			method: 'POST',
			headers: seed.jsPost(o, withJpeg.type),
			body: withJpeg.body,
			connections: 5,
			seconds: seconds * 2
		},
		{
			key: 'reply',
			label: 'Reply POST',
			url: `${o}${replyTo}?/reply`,
			method: 'POST',
			headers: seed.jsPost(o, replyBody['content-type']),
			body: replyBody.body
		},
		{
			key: 'poll204',
			label: 'Poll, nothing new (204)',
			url: `${o}${thread.path}/messages?after=${encodeURIComponent(thread.cursor)}`,
			status: 204
		},
		{
			key: 'pollNew',
			label: 'Poll, one new message',
			url: `${o}${thread.path}/messages?after=${encodeURIComponent(thread.cursorBefore)}`
		},
		{ key: 'suggest', label: 'Suggestions q=attach', url: `${o}/ticket/demo/suggestions?q=attach` },
		{
			key: 'suggest10',
			label: 'Suggestions q=attach, 10 connections',
			url: `${o}/ticket/demo/suggestions?q=attach`,
			connections: 10
		},
		{ key: 'doc', label: 'Prerendered doc', url: `${o}/doc/demo/attaching-files` },
		pageSpecs(o, { thread, cookie })[2]
	];
	log(`measuring ${specs.length} rows × ${rounds} rounds of ${seconds} s, interleaved…`);
	const measured = opt.memory
		? specs.filter((s) => !['hello', 'ssr', 'static', 'ssrThread', 'commits'].includes(s.key))
		: specs;
	const r = await interleave(measured, {
		connections,
		rounds,
		seconds,
		onRound: (i) => log(`round ${i}/${rounds} done`)
	});
	const loadPeak = rssMb(portal.pid, 'VmHWM');
	log(`RSS peak under load: ${loadPeak.toFixed(0)} MB`);

	log('10 × 40-megapixel uploads at once…');
	const huge = await seed.photoJpeg(7296, 5472);
	const uploadPeak = await peakRss(portal.pid, async () => {
		await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				seed.createTicket(o, seed.ticketFields(100 + i), [
					{ name: 'files', filename: `big-${i}.jpg`, type: 'image/jpeg', data: huge }
				])
			)
		);
		for (let i = 0; i < 600 && (await store.pendingImages()) > 0; i++)
			await new Promise((res) => setTimeout(res, 200));
	});
	log(
		`RSS peak during 10 uploads of ${(huge.length / 1e6).toFixed(1)} MB (40 MP): ${uploadPeak.toFixed(0)} MB`
	);
	if (opt.memory) {
		const rps = (k) => `${k} ${r[k].rps.toFixed(0)} req/s (p99 ${r[k].p99.toFixed(0)} ms)`;
		console.log(
			`RSS idle ${idle.portal.toFixed(0)} MB · under load ${loadPeak.toFixed(0)} MB · 10 × 40 MP uploads ${uploadPeak.toFixed(0)} MB\n${Object.keys(r).map(rps).join('\n')}`
		);
	} else {
		for (const s of servers.splice(0)) await s.stop();
		const photo = join(work, 'photo-12mp.jpg');
		writeFileSync(photo, await seed.photoJpeg(4000, 3000));
		const thumbs = thumbnails(photo, opt.quick ? 1 : 3);
		log(
			`thumbnails: portal ${thumbs.portalMs.toFixed(0)} ms, bare sharp ${thumbs.bareMs.toFixed(0)} ms`
		);
		const scale = await scaleRows({
			connections,
			work,
			big,
			rounds,
			seconds,
			servers,
			log,
			small,
			portalEnv,
			stores
		});
		const ssr = r.ssr.rps;
		const rows = [
			{ ...r.hello, ratio: ratio(r.hello.rps, ssr, 'SSR') },
			{ ...r.ssr, ratio: '1.00× SSR' },
			{ ...r.static, ratio: ratio(r.static.rps, ssr, 'SSR') },
			{ ...r.ssrThread, ratio: ratio(r.ssrThread.rps, ssr, 'SSR') },
			{ ...r.commits, label: r.commits.label + ' (commits/s)' },
			{
				...r.thread,
				ratio: `${ratio(r.thread.rps, ssr, 'SSR')}, ${ratio(r.thread.rps, r.ssrThread.rps, 'same content')}`
			},
			{
				...r.createJs,
				ratio: `${ratio(r.createJs.rps, ssr, 'SSR')}, ${ratio(r.createJs.rps, r.commits.rps, 'commits')}`
			},
			{ ...r.createHtml, ratio: ratio(r.createHtml.rps, ssr, 'SSR') },
			{ ...r.createJpeg, ratio: ratio(r.createJpeg.rps, ssr, 'SSR') },
			{
				...r.reply,
				ratio: `${ratio(r.reply.rps, ssr, 'SSR')}, ${ratio(r.reply.rps, r.commits.rps, 'commits')}`
			},
			{ ...r.poll204, ratio: ratio(r.poll204.rps, ssr, 'SSR') },
			{ ...r.pollNew, ratio: ratio(r.pollNew.rps, ssr, 'SSR') },
			{ ...r.suggest, ratio: ratio(r.suggest.rps, ssr, 'SSR') },
			{ ...r.suggest10, ratio: `p99 ${r.suggest10.p99.toFixed(0)} ms` },
			{ ...r.doc, ratio: ratio(r.doc.rps, r.static.rps, 'static') },
			{ ...r.inbox, ratio: ratio(r.inbox.rps, ssr, 'SSR') },
			...scale.rows
		];
		console.log('\n' + table(rows));
		console.log(`
Memory (portal RSS): idle ${idle.portal.toFixed(0)} MB (baseline app ${idle.baseline.toFixed(0)} MB) · peak under load ${loadPeak.toFixed(0)} MB · peak during 10 × 40 MP uploads ${uploadPeak.toFixed(0)} MB
Thumbnail + display copy of a 12 MP JPEG: portal ${thumbs.portalMs.toFixed(0)} ms ÷ bare sharp ${thumbs.bareMs.toFixed(0)} ms = ${thumbs.ratio.toFixed(2)}×
${scale.summary}
ratio = req/s ÷ the named same-run reference; spread = half the (max − min) ÷ median of req/s over ${rounds} rounds; ${connections} connections unless the row says otherwise.`);
		for (const row of Object.values(r)) {
			if (row.unexpected)
				console.log(
					`note: ${row.label}: ${row.unexpected} unexpected answers ${JSON.stringify(row.codes)}`
				);
		}
		const out =
			opt.out ??
			join(root, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
		mkdirSync(join(out, '..'), { recursive: true });
		writeFileSync(
			out,
			JSON.stringify(
				{
					at: new Date().toISOString(),
					db: stores.kind,
					kit: baseline.kit,
					rounds,
					seconds,
					rows: r,
					scale: scale.json,
					memory: { idle, loadPeak, uploadPeak },
					thumbs
				},
				null,
				2
			)
		);
		log(`wrote ${out}`);
	}
} finally {
	await cleanUp();
}
