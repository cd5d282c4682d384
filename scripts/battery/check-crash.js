// Check 2: kill -9 of the server, 20 times, while three writers create tickets with files and
// reply. Afterwards the database must be intact and hold every create and reply the server
// acknowledged, each with its files on disk.
import { randomInt } from 'node:crypto';
import { settleAttachments, withDb } from './db.js';
import { createTicket, reply, send } from './http.js';
import { samples } from './images.js';
import { startPortal } from './server.js';

const CYCLES = Number(process.env.BATTERY_CRASH_CYCLES || 20);
const WRITERS = 3;

export async function checkCrashes({ dataDir, port, track, untrack }) {
	const img = await samples();
	const files = (i) => [
		{
			name: `crash-${i}.txt`,
			type: 'text/plain',
			data: Buffer.from(`crash file ${i}\n`.repeat(200))
		},
		...(i % 3 === 0 ? [{ name: `crash-${i}.png`, type: 'image/png', data: img.png }] : [])
	];
	const acked = { creates: new Map(), replies: new Map() };
	const tokens = [];
	let seq = 0;
	let sent = 0;
	let startMs = 0;
	const failures = [];

	for (let cycle = 0; cycle < CYCLES; cycle++) {
		const t0 = Date.now();
		let server;
		try {
			server = await startPortal({ dataDir, port });
		} catch (err) {
			failures.push(`start after kill ${cycle} failed: ${String(err.message).slice(0, 300)}`);
			break;
		}
		startMs = Math.max(startMs, Date.now() - t0);
		track(server);
		if (!tokens.length) {
			const first = await createTicket(server, `crash-thread`);
			if (!first.token) throw new Error(`could not create the first ticket: ${first.status}`);
			tokens.push(first.token);
			acked.creates.set('crash-thread', 0);
		}
		let stop = false;
		const ackedBefore = acked.creates.size + acked.replies.size;
		const writer = async () => {
			while (!stop) {
				const i = ++seq;
				sent++;
				if (i % 2) {
					const f = files(i);
					const r = await createTicket(server, `crash-create-${i}`, f);
					if (r.token) {
						acked.creates.set(`crash-create-${i}`, f.length);
						tokens.push(r.token);
					}
				} else {
					const f = i % 4 === 0 ? files(i).slice(0, 1) : [];
					const r = await reply(server, tokens[randomInt(tokens.length)], `crash-reply-${i}`, f);
					if (r.acked) acked.replies.set(`crash-reply-${i}`, f.length);
				}
			}
		};
		const writers = Array.from({ length: WRITERS }, writer);
		// Kill once this start has acknowledged a few writes, at a random moment after that.
		const deadline = Date.now() + 15_000;
		while (acked.creates.size + acked.replies.size < ackedBefore + 4 && Date.now() < deadline)
			await new Promise((r) => setTimeout(r, 50));
		await new Promise((r) => setTimeout(r, 100 + randomInt(900)));
		await server.kill9();
		stop = true;
		await Promise.all(writers);
		untrack(server);
	}

	// One more start recovers the WAL; then look at everything through a read-only connection.
	const server = await startPortal({ dataDir, port });
	track(server);
	try {
		const integrity = withDb(dataDir, (db) => db.pragma('integrity_check', { simple: true }));
		if (integrity !== 'ok') failures.push(`integrity_check: ${integrity}`);
		const fk = withDb(dataDir, (db) => db.pragma('foreign_key_check').length);
		if (fk) failures.push(`foreign_key_check: ${fk} rows`);
		const { creates, replies } = withDb(dataDir, (db) => ({
			creates: new Map(
				db
					.prepare(
						"SELECT t.title, (SELECT count(*) FROM attachments a WHERE a.ticket_id = t.id AND a.message_id IS NULL) n FROM tickets t WHERE t.title LIKE 'crash-%'"
					)
					.all()
					.map((r) => [r.title, r.n])
			),
			replies: new Map(
				db
					.prepare(
						"SELECT m.body, (SELECT count(*) FROM attachments a WHERE a.message_id = m.id) n FROM messages m WHERE m.body LIKE 'crash-reply-%'"
					)
					.all()
					.map((r) => [r.body, r.n])
			)
		}));
		let lost = 0;
		for (const [what, want, have] of [
			['create', acked.creates, creates],
			['reply', acked.replies, replies]
		]) {
			for (const [key, n] of want) {
				if (!have.has(key)) {
					lost++;
					failures.push(`acknowledged ${what} "${key}" is missing`);
				} else if (have.get(key) !== n) {
					lost++;
					failures.push(`acknowledged ${what} "${key}" has ${have.get(key)} of its ${n} files`);
				}
			}
		}
		const audit = await settleAttachments(dataDir);
		for (const m of audit.missing) failures.push(`attachment row without its file: ${m}`);
		// A sample of the acknowledged links still opens its thread.
		let opened = 0;
		for (const t of tokens.slice(-10))
			if ((await send(server, `/ticket/thread/${t}`, { method: 'GET', mode: null })).status === 200)
				opened++;
		if (opened !== Math.min(10, tokens.length))
			failures.push(
				`only ${opened} of the last ${Math.min(10, tokens.length)} acknowledged links open`
			);
		const figure =
			`${CYCLES} kills, ${sent} writes sent, ${acked.creates.size} creates and ${acked.replies.size} replies acknowledged, ` +
			`${creates.size} creates and ${replies.size} replies stored, ${lost} acknowledged lost, ${audit.rows} attachment rows, ` +
			`${audit.missing.length} without file, ${audit.orphans.length} orphan files; integrity_check ${integrity}; slowest restart ${(startMs / 1000).toFixed(1)} s`;
		return { ok: failures.length === 0, figure, failures };
	} finally {
		await server.stop();
		untrack(server);
	}
}
