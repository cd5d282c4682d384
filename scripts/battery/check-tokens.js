// Check 4: random and near-miss tokens on the thread page, unsubscribe POST, poll and download
// routes all answer 404 with one body per route, whatever is wrong with the token.
import { randomInt } from 'node:crypto';
import { BASE32_ALPHABET } from './base32.js';
import { splitToken } from './check-bodies.js';
import { secretOf, withDb } from './db.js';
import { createTicket, pool, send } from './http.js';

const TOTAL = 10_000;
const pick = (s) => s[randomInt(s.length)];
const b32 = (n) => Array.from({ length: n }, () => pick(BASE32_ALPHABET)).join('');
const URLISH = BASE32_ALPHABET + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ01890.-_~';

/** One wrong token, near a real one (`real`, of purpose `purpose`) or random. */
function wrongToken(i, { real, other, secret, purpose, otherPurpose }) {
	const [sel, ver] = real.split('.');
	switch (i % 12) {
		case 0:
			return `${b32(16)}.${b32(32)}`;
		case 1: {
			// Not "." or "..": URL parsing removes such a dot segment (also as %2e), so the request
			// names another path with no token in it (…/thread/../attachments/x is
			// /ticket/attachments/x: the site's HTML 404, not the download's).
			let t;
			do t = Array.from({ length: 1 + randomInt(120) }, () => pick(URLISH)).join('');
			while (/^\.{1,2}$/.test(t));
			return t;
		}
		case 2: {
			const at = randomInt(real.length);
			if (real[at] === '.') return real.replace('.', pick('-_,'));
			let c;
			do c = pick(BASE32_ALPHABET);
			while (c === real[at]);
			return real.slice(0, at) + c + real.slice(at + 1);
		}
		case 3:
			return real.slice(0, real.length - 1 - randomInt(real.length - 1));
		case 4:
			return real + b32(1 + randomInt(3));
		case 5: {
			// One letter in upper case (digits and the dot have no case).
			const letters = [...real].map((c, at) => (/[a-z]/.test(c) ? at : -1)).filter((at) => at >= 0);
			const at = pick(letters);
			return real.slice(0, at) + real[at].toUpperCase() + real.slice(at + 1);
		}
		case 6:
			return real.toUpperCase();
		case 7:
			return `${other.split('.')[0]}.${ver}`; // other recipient's selector, this verifier
		case 8:
			return splitToken(secret, otherPurpose, sel); // the same recipient's link of the other kind
		case 9:
			return splitToken(secret, purpose, sel, pick([0, 2, 3, 99])); // a version never issued
		case 10:
			return pick([
				`${sel}..${ver}`,
				`${sel}.${ver}.`,
				`.${sel}.${ver}`,
				`${sel}${ver}`,
				`${ver}.${sel}`,
				` ${real}`,
				`${real} `,
				`${sel}.${ver.slice(0, 31)}=`
			]);
		default:
			return `${sel}.${b32(32)}`; // right selector, random verifier
	}
}

/**
 * Bodies that differ only by a per-response nonce, or by echoing the token the request itself
 * sent (SvelteKit's error page hydrates with the route's params), count as the same body.
 */
const normalized = (t) =>
	t
		.replace(/nonce="[^"]*"/g, 'nonce=""')
		.replace(/params: \{token:"(?:[^"\\]|\\.)*"\}/g, 'params: {token:"…"}');

export async function checkTokens({ server }) {
	const a = await createTicket(server, 'battery token ticket A', [
		{ name: 'a.txt', type: 'text/plain', data: Buffer.from('file of A\n') }
	]);
	const b = await createTicket(server, 'battery token ticket B', []);
	if (!a.token || !b.token)
		throw new Error(`could not create the token tickets: ${a.status} ${b.status}`);
	const secret = secretOf(server.dataDir);
	const unsub = (t) => splitToken(secret, 'unsubscribe', t.split('.')[0]);
	const fileId = withDb(
		server.dataDir,
		(db) =>
			db
				.prepare(
					"SELECT a.public_id FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.title = 'battery token ticket A'"
				)
				.get().public_id
	);

	const enc = encodeURIComponent;
	const routes = [
		{
			name: 'thread',
			purpose: 'thread',
			req: (t) => [`/ticket/thread/${enc(t)}`, { method: 'GET', mode: null }]
		},
		{
			name: 'poll',
			purpose: 'thread',
			req: (t) => [`/ticket/thread/${enc(t)}/messages?after=open.0.`, { method: 'GET', mode: null }]
		},
		{
			name: 'download',
			purpose: 'thread',
			req: (t) => [`/ticket/thread/${enc(t)}/attachments/${fileId}`, { method: 'GET', mode: null }]
		},
		{
			name: 'unsubscribe',
			purpose: 'unsubscribe',
			req: (t) => [
				`/ticket/unsubscribe/${enc(t)}`,
				{ body: 'intent=unsubscribe', type: 'application/x-www-form-urlencoded', mode: 'json' }
			]
		}
	];

	const failures = [];
	// The real links must work, or every 404 below would prove nothing.
	for (const r of routes) {
		const real = r.purpose === 'thread' ? a.token : unsub(a.token);
		const res = await send(server, ...r.req(real));
		if (res.status !== 200 && res.status !== 204)
			failures.push(`${r.name}: the real link answered ${res.status}, expected 200`);
	}

	const per = Math.ceil(TOTAL / routes.length);
	const jobs = [];
	for (const r of routes) {
		const real = r.purpose === 'thread' ? a.token : unsub(a.token);
		const other = r.purpose === 'thread' ? b.token : unsub(b.token);
		const ctx = {
			real,
			other,
			secret,
			purpose: r.purpose,
			otherPurpose: r.purpose === 'thread' ? 'unsubscribe' : 'thread'
		};
		for (let i = 0; i < per; i++) jobs.push({ route: r, token: wrongToken(i, ctx), kind: i % 12 });
	}
	const started = Date.now();
	const results = await pool(jobs.length, 6, async (i) => {
		const j = jobs[i];
		if (j.token === (j.route.purpose === 'thread' ? a.token : unsub(a.token)))
			return { skip: true };
		const r = await send(server, ...j.route.req(j.token));
		return { status: r.status, body: normalized(r.text) };
	});
	const secs = (Date.now() - started) / 1000;

	const stats = [];
	for (const r of routes) {
		const mine = results
			.map((x, i) => ({ ...x, job: jobs[i] }))
			.filter((x) => x.job.route === r && !x.skip);
		const bodies = new Map();
		const statuses = new Map();
		for (const x of mine) {
			bodies.set(x.body, (bodies.get(x.body) ?? 0) + 1);
			statuses.set(x.status, (statuses.get(x.status) ?? 0) + 1);
			if (x.status !== 404)
				failures.push(
					`${r.name}: token "${x.job.token.slice(0, 60)}" (kind ${x.job.kind}) answered ${x.status}: ${x.body.slice(0, 120)}`
				);
		}
		if (bodies.size > 1) {
			const [first, second] = [...bodies.keys()];
			let at = 0;
			while (first[at] === second[at]) at++;
			const around = (b) => JSON.stringify(b.slice(Math.max(0, at - 60), at + 60));
			failures.push(
				`${r.name}: ${bodies.size} different 404 bodies, e.g. ${around(first)} vs ${around(second)}`
			);
		}
		stats.push(
			`${r.name} ${mine.length}× → ${[...statuses].map(([s, n]) => `${s}:${n}`).join(' ')}, ${bodies.size} body`
		);
	}
	const figure = `${results.filter((x) => !x.skip).length} wrong tokens in ${secs.toFixed(1)} s (${(results.length / secs).toFixed(0)}/s): ${stats.join('; ')}`;
	return { ok: failures.length === 0, figure, failures };
}
