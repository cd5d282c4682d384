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

/**
 * The rows measured on every seeded portal, both in the main table and at each scale: the
 * 20-message thread page, a create POST (JS path) and the signed-in staff inbox.
 */
export const pageSpecs = (o, { thread, cookie }, fields = seed.ticketFields(2)) => {
	const create = new URLSearchParams(fields).toString();
	return [
		{ key: 'thread', label: 'Thread page, 20 messages, 2 attachments', url: o + thread.path },
		{
			key: 'createJs',
			label: 'Create POST, no files, JS path',
			url: `${o}/ticket/demo?/create`,
			method: 'POST',
			headers: seed.jsPost(o, 'application/x-www-form-urlencoded'),
			body: create
		},
		{ key: 'inbox', label: 'Staff inbox, signed in', url: `${o}/app`, headers: { cookie } }
	];
};

// The workflow views: every 10th ticket is the bench admin's, every 100th tagged.
const VIEWS = [
	['inbox-mine', 'Staff inbox, Mine, open or waiting', 'view=mine&status=active'],
	['inbox-unassigned', 'Staff inbox, Unassigned, open or waiting', 'view=unassigned&status=active'],
	['inbox-tag', 'Staff inbox, tag "bench"', 'tag=bench']
];

const specsFor = (name, p) =>
	[
		...pageSpecs(p.portal.origin, p, seed.ticketFields(9)),
		...VIEWS.map(([key, label, q]) => ({
			key,
			label,
			url: `${p.portal.origin}/app?${q}`,
			headers: { cookie: p.cookie }
		}))
	].map((s) => ({ ...s, key: `${s.key}-${name}`, label: `${s.label}, at ${name} tickets` }));

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
		summary = `Scale, 1M ÷ 1k: thread p50 ${q('thread-1k', 'thread-1M')}×, inbox p50 ${q('inbox-1k', 'inbox-1M')}×, create rate ${x('createJs-1k', 'createJs-1M')}×, tag p50 ${q('inbox-tag-1k', 'inbox-tag-1M')}×`;
		// Pages compare their median latency, the create POST its rate.
		for (const k of ['thread', 'inbox', ...VIEWS.map(([key]) => key)])
			r[`${k}-1M`].ratio = `p50 ${q(`${k}-1k`, `${k}-1M`)}× of 1k`;
		r['createJs-1M'].ratio = `${x('createJs-1k', 'createJs-1M')}× of 1k`;
	}
	for (const s of servers.splice(0)) await s.stop();
	return { rows, json, summary };
}
