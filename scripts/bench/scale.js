// The scale rows: the same thread page, create POST and staff inbox on a portal holding 1,000
// tickets and on one holding 1,000,000 (both fresh, bulk-seeded), rounds interleaved.
import { join } from 'node:path';
import { interleave } from './load.js';
import { NODE_ARGS, NODE_ENV } from '../node-tuning.js';
import { root, startServer } from './processes.js';
import * as seed from './seed.js';

async function prepared(work, name, tickets, small, portalEnv, log, stores) {
	const dataDir = join(work, name);
	const store = await stores.fresh(name, dataDir);
	const portal = await startServer(
		`portal-${name}`,
		join(root, 'scripts/start.js'),
		{ ...NODE_ENV, ...portalEnv(dataDir), ...store.env },
		'/healthz',
		NODE_ARGS
	);
	try {
		const s = await store.bulkSeed(tickets);
		log(`${name}: ${s.tickets} tickets seeded in ${s.seconds.toFixed(0)} s`);
		const thread = await seed.thread(portal.origin, small);
		const cookie = await store.staffCookie();
		await store.workflowSeed();
		return { portal, thread, cookie };
	} catch (err) {
		await portal.stop();
		throw err;
	}
}

const specsFor = (name, { portal, thread, cookie }) => {
	const o = portal.origin;
	const body = new URLSearchParams(seed.ticketFields(9)).toString();
	return [
		{ key: `thread-${name}`, label: `Thread page at ${name} tickets`, url: o + thread.path },
		{
			key: `create-${name}`,
			label: `Create POST (JS) at ${name} tickets`,
			url: `${o}/ticket/demo?/create`,
			method: 'POST',
			headers: seed.jsPost(o, 'application/x-www-form-urlencoded'),
			body
		},
		{
			key: `inbox-${name}`,
			label: `Staff inbox first page at ${name} tickets`,
			url: `${o}/app`,
			headers: { cookie }
		},
		// The workflow views: every 10th ticket is the bench admin's, every 100th tagged.
		...[
			['mine', 'Mine, open or waiting', 'view=mine&status=active'],
			['unassigned', 'Unassigned, open or waiting', 'view=unassigned&status=active'],
			['tag', 'tag "bench"', 'tag=bench']
		].map(([k, label, q]) => ({
			key: `inbox-${k}-${name}`,
			label: `Staff inbox, ${label}, at ${name} tickets`,
			url: `${o}/app?${q}`,
			headers: { cookie }
		}))
	];
};

export async function scaleRows({
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
}) {
	const sizes = big
		? [
				['1k', 1000],
				['1M', 1_000_000]
			]
		: [['1k', 1000]];
	const specs = [];
	for (const [name, n] of sizes) {
		const p = await prepared(work, name, n, small, portalEnv, log, stores);
		servers.push(p.portal);
		specs.push(...specsFor(name, p));
	}
	log(`scale: ${specs.length} rows × ${rounds} rounds, interleaved…`);
	const r = await interleave(specs, { rounds, seconds, connections });
	const rows = Object.values(r);
	const json = r;
	let summary = 'Scale: 1,000,000 tickets skipped (--quick or --scale 1k).';
	if (big) {
		const q = (a, b) => (r[b].p50 / r[a].p50).toFixed(2);
		const x = (a, b) => (r[b].rps / r[a].rps).toFixed(2);
		summary = `Scale, 1M ÷ 1k: thread p50 ${q('thread-1k', 'thread-1M')}×, inbox p50 ${q('inbox-1k', 'inbox-1M')}×, create rate ${x('create-1k', 'create-1M')}×`;
		for (const k of ['thread', 'inbox', 'inbox-mine', 'inbox-unassigned', 'inbox-tag'])
			rows.find((row) => row === r[`${k}-1M`]).ratio = `p50 ${q(`${k}-1k`, `${k}-1M`)}× of 1k`;
		r['create-1M'].ratio = `${x('create-1k', 'create-1M')}× of 1k`;
	}
	for (const s of servers.splice(0)) await s.stop();
	return { rows, json, summary };
}
