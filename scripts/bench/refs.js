// References that are not HTTP servers: SQLite durable commits per second on the disk the portal
// uses, and the thumbnail timing of the portal against bare sharp.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './processes.js';

/**
 * An interleavable spec: one connection committing one small row per transaction for `seconds`,
 * WAL + synchronous=FULL like the portal. Latency percentiles are per commit.
 */
export function sqliteCommits(dir) {
	return {
		key: 'commits',
		label: 'SQLite commits, synchronous=FULL (same disk)',
		run(seconds) {
			const file = join(dir, 'commits.db');
			rmSync(file, { force: true });
			const db = new Database(file);
			db.pragma('journal_mode = WAL');
			db.pragma('synchronous = FULL');
			db.exec(
				'CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL)'
			);
			const insert = db.prepare('INSERT INTO t (body, at) VALUES (?, ?)');
			const lat = [];
			const end = performance.now() + seconds * 1000;
			const started = performance.now();
			while (performance.now() < end) {
				const t = performance.now();
				insert.run('a reply of a few words', Date.now()); // autocommit: one transaction each
				lat.push(performance.now() - t);
			}
			const took = (performance.now() - started) / 1000;
			db.close();
			rmSync(file, { force: true });
			for (const s of ['-wal', '-shm']) rmSync(file + s, { force: true });
			lat.sort((a, b) => a - b);
			const at = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
			return {
				rps: lat.length / took,
				p50: at(0.5),
				p99: at(0.99),
				codes: { ok: lat.length },
				unexpected: 0
			};
		}
	};
}

/** Median ms of the portal's renditions() and of bare sharp on the same file, rounds interleaved. */
export function thumbnails(file, rounds = 3) {
	const run = (mode) =>
		JSON.parse(
			execFileSync(process.execPath, [join(root, 'scripts/bench/thumbs.js'), mode, file, '3'], {
				cwd: root,
				encoding: 'utf8'
			})
				.trim()
				.split('\n')
				.at(-1)
		).ms;
	const portal = [];
	const bare = [];
	for (let i = 0; i < rounds; i++) {
		portal.push(run('portal'));
		bare.push(run('bare'));
	}
	const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	return {
		portalMs: med(portal),
		bareMs: med(bare),
		ratio: med(portal) / med(bare),
		rounds: { portal, bare }
	};
}
