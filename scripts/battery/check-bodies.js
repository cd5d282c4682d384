// Check 1: bad bodies and uploads against create, reply, poll, download and unsubscribe.
import { createHmac } from 'node:crypto';
import { encodeBase32 } from './base32.js';
import { actionCases } from './bad-cases.js';
import { secretOf, settleAttachments, withDb } from './db.js';
import { createTicket, pool, send } from './http.js';
import { samples } from './images.js';
import { downloadCases, pollCases, streamOf, unsubscribeCases } from './route-cases.js';
import { sampleMemory } from './server.js';

const BIG_GROWTH_MB = 64;
const NONCE = /bb-(create|reply)-\d+-[a-z0-9]+/;
const DANGEROUS = /\.(html?|xhtml|svg|exe|js|mjs|bat|cmd|ps1|php|jar)$/i;
const ACTIVE =
	/^(text\/html|image\/svg\+xml|application\/xhtml\+xml|application\/xml|text\/xml|application\/javascript|text\/javascript)/i;

/** The unsubscribe link of a recipient, built like src/lib/server/tokens.ts builds it. */
export function splitToken(secret, purpose, selector, version = 1) {
	const mac = createHmac('sha256', secret).update(`${purpose}|${selector}|${version}`).digest();
	return `${selector}.${encodeBase32(mac.subarray(0, 20))}`;
}

async function requestOf(server, c) {
	let body = c.body;
	if (typeof c.stream === 'number') body = streamOf(c.stream);
	else if (c.stream === true) body = bufferStream(c.body);
	const r = await send(server, c.path, { ...c, body });
	if (body?.sent) r.sentMb = body.sent() / (1024 * 1024);
	return r;
}

function bufferStream(buf) {
	return new ReadableStream({
		start(ctl) {
			for (let i = 0; i < buf.length; i += 65536)
				ctl.enqueue(new Uint8Array(buf.subarray(i, i + 65536)));
			ctl.close();
		}
	});
}

const decoded = (s) => {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
};

const acked = (c, r) =>
	c.kind === 'create'
		? r.status === 303 || r.effective === 303
		: r.status === 200 && (c.mode === 'html' || /"type":"success"/.test(r.text));

export async function checkBadBodies({ server, rssBoundMb }) {
	const img = await samples();
	const seed = await createTicket(server, 'battery seed ticket', [
		{ name: 'seed.png', type: 'image/png', data: img.png }
	]);
	if (!seed.token)
		throw new Error(`could not create the seed ticket: ${seed.status} ${seed.text.slice(0, 200)}`);
	const selector = seed.token.split('.')[0];
	const seedFile = withDb(server.dataDir, (db) =>
		db
			.prepare(
				'SELECT a.public_id FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.title = ?'
			)
			.get('battery seed ticket')
	);
	const unsub = splitToken(secretOf(server.dataDir), 'unsubscribe', selector);

	const actions = [...(await actionCases('create')), ...(await actionCases('reply', seed.token))];
	const routes = [
		...pollCases(seed.token),
		...downloadCases(seed.token, seedFile.public_id),
		...unsubscribeCases(unsub)
	];
	const failures = [];
	const memory = sampleMemory(server.pid);
	const started = Date.now();
	const results = await pool(actions.length, 3, async (i) => ({
		c: actions[i],
		r: await requestOf(server, actions[i])
	}));
	for (const c of routes.filter((c) => !c.parallel))
		results.push({ c, r: await requestOf(server, c) });
	const big = routes.filter((c) => c.parallel);
	const t0 = Date.now();
	const before = server.memory();
	const during = sampleMemory(server.pid, 50);
	const bigResults = await Promise.all(
		big.map(async (c) => ({ c, r: await requestOf(server, c) }))
	);
	results.push(...bigResults);
	const bigMs = Date.now() - t0;
	const grew = during.stop().peakRss - before.rss;
	const readMb = Math.max(...bigResults.map(({ r }) => r.sentMb ?? 0));
	// Refused bodies may be drained, never kept: six of them must not show up in memory.
	if (grew > BIG_GROWTH_MB)
		failures.push(
			`${big.length} parallel 45 MB unsubscribe bodies without Content-Length grew RSS by ${grew.toFixed(0)} MB (bound ${BIG_GROWTH_MB} MB); answers: ${bigResults.map(({ r }) => r.status).join(', ')}`
		);
	const fiveXX = results.filter(({ r }) => r.status >= 500 || r.effective >= 500 || r.status === 0);
	for (const { c, r } of fiveXX)
		failures.push(`5xx: ${c.label.replace(/ (json|html):/, ':')} → ${r.status || r.text}`);

	// What was stored, by nonce, against what was acknowledged.
	const stored = withDb(server.dataDir, (db) => {
		const map = new Map();
		for (const t of db
			.prepare("SELECT id, title FROM tickets WHERE title LIKE '%bb-create-%'")
			.all())
			map.set(
				NONCE.exec(t.title)?.[0],
				db
					.prepare('SELECT count(*) n FROM attachments WHERE ticket_id = ? AND message_id IS NULL')
					.get(t.id).n
			);
		for (const m of db.prepare("SELECT id, body FROM messages WHERE body LIKE '%bb-reply-%'").all())
			map.set(
				NONCE.exec(m.body)?.[0],
				db.prepare('SELECT count(*) n FROM attachments WHERE message_id = ?').get(m.id).n
			);
		return map;
	});
	let half = 0;
	let acceptedBad = 0;
	for (const { c, r } of results.filter(({ c }) => c.nonce)) {
		const ok = acked(c, r);
		const files = stored.get(c.nonce);
		if (files !== undefined && !ok) {
			half++;
			failures.push(`stored but not acknowledged: ${c.label} → ${r.status}/${r.effective}`);
		} else if (ok && files === undefined) {
			half++;
			failures.push(`acknowledged but not stored: ${c.label}`);
		} else if (ok && c.expectFiles != null && files !== c.expectFiles) {
			half++;
			failures.push(`stored with ${files} of ${c.expectFiles} files: ${c.label}`);
		}
		if (ok && c.refuse) {
			acceptedBad++;
			failures.push(`accepted, must be refused: ${c.label} → ${r.status}/${r.effective}`);
		}
	}

	const audit = await settleAttachments(server.dataDir);
	for (const m of audit.missing) failures.push(`attachment row without its file: ${m}`);
	for (const o of audit.orphans.slice(0, 5)) failures.push(`file no row names (orphan): ${o}`);
	const downloads = await checkDownloads(server, failures);
	const mem = memory.stop();
	if (mem.hwm > rssBoundMb)
		failures.push(`server memory VmHWM ${mem.hwm.toFixed(0)} MB > bound ${rssBoundMb} MB`);
	const count = (k) =>
		results.filter(({ c }) => c.kind === k || (!c.kind && c.path.includes(k))).length;
	const figure =
		`${results.length} requests (create ${count('create')}, reply ${count('reply')}, poll ${count('/messages')}, download ${count('/attachments')}, unsubscribe ${count('/unsubscribe')}) in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
		`${fiveXX.length} 5xx/no answer, ${half} half-stored, ${acceptedBad} hostile accepted, ${audit.missing.length} rows without file, ${audit.orphans.length} orphan files, ` +
		`${downloads.checked} stored files downloaded (${downloads.bad} unsafe); ${big.length} parallel 45 MB unsubscribe bodies answered in ${(bigMs / 1000).toFixed(1)} s after up to ${readMb.toFixed(1)} MB sent each, RSS +${grew.toFixed(0)} MB (bound ${BIG_GROWTH_MB}); ` +
		`RSS peak ${mem.peakRss.toFixed(0)} MB, VmHWM ${mem.hwm.toFixed(0)} MB (bound ${rssBoundMb} MB)`;
	return { ok: failures.length === 0, figure, failures, audit };
}

/** Every stored attachment is served as a download that no browser renders as a page. */
async function checkDownloads(server, failures) {
	const rows = withDb(server.dataDir, (db) =>
		db
			.prepare(
				`SELECT a.public_id, a.name, a.mime, a.thumbnail_key, r.public_id selector, r.token_version v
			FROM attachments a JOIN ticket_recipients r ON r.ticket_id = a.ticket_id AND r.role = 'reporter'`
			)
			.all()
	);
	const secret = secretOf(server.dataDir);
	let bad = 0;
	await pool(rows.length, 3, async (i) => {
		const a = rows[i];
		const token = splitToken(secret, 'thread', a.selector, a.v);
		for (const variant of a.thumbnail_key ? ['', '?variant=thumb'] : ['']) {
			const r = await send(server, `/ticket/thread/${token}/attachments/${a.public_id}${variant}`, {
				method: 'GET',
				mode: null
			});
			const type = r.headers.get('content-type') ?? '';
			const disp = r.headers.get('content-disposition') ?? '';
			const name = /filename\*?=(?:UTF-8'')?"?([^";]*)/i.exec(disp)?.[1] ?? '';
			const problems = [];
			if (r.status !== 200) problems.push(`status ${r.status}`);
			if (ACTIVE.test(type)) problems.push(`content-type ${type}`);
			if (r.headers.get('x-content-type-options') !== 'nosniff') problems.push('no nosniff');
			if (!/^attachment/i.test(disp) && !/^image\//.test(type))
				problems.push(`disposition "${disp}"`);
			if (DANGEROUS.test(decoded(name))) problems.push(`downloads as "${decoded(name)}"`);
			if (problems.length) {
				bad++;
				failures.push(
					`unsafe download of "${a.name.slice(0, 40)}" (${a.mime})${variant}: ${problems.join(', ')}`
				);
			}
		}
	});
	return { checked: rows.length, bad };
}
