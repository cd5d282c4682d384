// Check 5: a second start on a live data folder (a repeated `npm start`, an overlapping deploy)
// must be refused before it touches anything: it exits non-zero naming the process that holds
// the folder, removes no file (not even one of an upload in flight) and sends no mail.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBase32 } from './base32.js';
import { attachmentAudit, filesIn, withDb } from './db.js';
import { createTicket } from './http.js';
import { samples } from './images.js';
import { freePort, spawnPortal } from './server.js';

const WAIT_MS = 15_000;

async function secondStart(server, port, label, failures) {
	const dir = server.dataDir;
	// An upload in flight: written under a storage key, not yet named by a row.
	const inFlight = encodeBase32(randomBytes(16));
	writeFileSync(join(dir, 'attachments', inFlight), 'staged, not yet committed\n');
	const before = filesIn(dir, 'attachments');
	const missingBefore = attachmentAudit(dir).missing.length;
	// Pending mail at the moment the second process starts, and uploads while it runs.
	const img = await samples();
	let stop = false;
	const writes = (async () => {
		let n = 0;
		while (!stop) {
			await createTicket(server, `second-start-${label}-${++n}`, [
				{ name: 'w.png', type: 'image/png', data: img.png }
			]);
			await new Promise((r) => setTimeout(r, 100));
		}
		return n;
	})();

	const second = spawnPortal({ dataDir: dir, port });
	const t0 = Date.now();
	const exit = await Promise.race([
		second.exited,
		new Promise((r) => setTimeout(() => r(null), WAIT_MS))
	]);
	const ms = Date.now() - t0;
	stop = true;
	const written = await writes;
	if (!exit) {
		failures.push(
			`${label}: the second process still runs after ${WAIT_MS / 1000} s (it serves the same folder)`
		);
		second.child.kill('SIGKILL');
		await second.exited;
	} else if (exit.code === 0) failures.push(`${label}: the second process exited with code 0`);
	const said = second.output().trim().split('\n').filter(Boolean);
	if (exit && !said.some((l) => l.includes(String(server.pid))))
		failures.push(
			`${label}: its output does not name the process holding the folder (pid ${server.pid}): ${JSON.stringify(said.slice(-3).join(' | ').slice(0, 300))}`
		);

	await new Promise((r) => setTimeout(r, 1000)); // let the first server's outbox catch up
	const after = new Set(filesIn(dir, 'attachments'));
	const removed = before.filter((f) => !after.has(f));
	if (removed.length)
		failures.push(
			`${label}: ${removed.length} attachment files removed${removed.includes(inFlight) ? ' (the in-flight upload among them)' : ''}`
		);
	const audit = attachmentAudit(dir);
	const lost = audit.missing.length - missingBefore;
	if (lost > 0) failures.push(`${label}: ${lost} acknowledged attachment rows lost their file`);
	const mailBySecond = filesIn(dir, 'mail').filter((f) =>
		f.includes(`-${second.child.pid}-`)
	).length;
	if (mailBySecond)
		failures.push(`${label}: the second process wrote ${mailBySecond} mail (.eml) files`);
	// Every mail the outbox marked sent is on disk once; more files than that = sent twice.
	const settled = Date.now() + 10_000;
	while (
		withDb(
			dir,
			(db) => db.prepare("SELECT count(*) n FROM outbound_emails WHERE status = 'pending'").get().n
		) > 0 &&
		Date.now() < settled
	)
		await new Promise((r) => setTimeout(r, 250));
	const sentRows = withDb(
		dir,
		(db) => db.prepare("SELECT count(*) n FROM outbound_emails WHERE status = 'sent'").get().n
	);
	const twice = filesIn(dir, 'mail').filter((f) => f.endsWith('.eml')).length - sentRows;
	if (twice > 0)
		failures.push(
			`${label}: ${twice} mails were written twice (.eml files beyond the outbox's sent rows)`
		);
	const health = await fetch(`${server.origin}/healthz`).then(
		(r) => r.status,
		() => 0
	);
	if (health !== 200)
		failures.push(`${label}: the first server answers /healthz with ${health} afterwards`);
	return `${label}: exit ${exit ? (exit.code ?? exit.signal) : 'none'} after ${(ms / 1000).toFixed(1)} s, ${removed.length} files removed, ${Math.max(0, lost)} rows lost their file, ${mailBySecond} mails sent by it (${Math.max(0, twice)} twice), ${written} uploads during it`;
}

export async function checkSecondStart({ server }) {
	const failures = [];
	const img = await samples();
	for (let i = 0; i < 3; i++)
		await createTicket(server, `second-start-before-${i}`, [
			{ name: 'b.png', type: 'image/png', data: img.png }
		]);
	const rows = withDb(
		server.dataDir,
		(db) => db.prepare('SELECT count(*) n FROM attachments').get().n
	);
	if (!existsSync(join(server.dataDir, 'attachments')) || rows === 0)
		throw new Error('no attachments were stored before the second start');
	const lines = [];
	// A repeated `npm start` (same port) and an overlapping deploy (another port).
	lines.push(await secondStart(server, server.port, 'same port', failures));
	lines.push(await secondStart(server, await freePort(), 'other port', failures));
	return { ok: failures.length === 0, figure: lines.join('; '), failures };
}
