// Where a benchmarked portal keeps its data: SQLite in its data folder (the default) or, with
// `--db postgres`, a fresh PostgreSQL database on the server of TEST_DATABASE_URL, created for
// the run and dropped after it. Both offer the same seeding helpers and a durable-commit reference.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { sqliteCommits } from './refs.js';
import * as seed from './seed.js';

/** SQLite stores: the portal's own `DATA_DIR/portal.db`. */
export function sqliteStores(work) {
	return {
		kind: 'sqlite',
		commits: () => sqliteCommits(work),
		async fresh(name, dataDir) {
			const dbFile = join(dataDir, 'portal.db');
			return {
				env: {},
				bulkSeed: async (n) => seed.bulkSeed(dbFile, n),
				staffCookie: async () => seed.staffCookie(dbFile),
				workflowSeed: async () => seed.workflowSeed(dbFile),
				pendingImages: async () => seed.pendingImages(dbFile)
			};
		},
		async close() {}
	};
}

const CHUNK = 25_000;
const seedKey = (i) => `seed${String(i).padStart(12, '0')}`;

/** PostgreSQL stores: one new database per portal on the server of `baseUrl`. */
export function postgresStores(baseUrl) {
	const run = randomBytes(4).toString('hex');
	const admin = new pg.Pool({ connectionString: baseUrl, max: 1 });
	const created = [];
	const pools = [];
	const urlOf = (name) => {
		const u = new URL(baseUrl);
		u.pathname = `/${name}`;
		return u.toString();
	};
	async function database(name) {
		const db = `portal_bench_${run}_${name}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
		await admin.query(`CREATE DATABASE ${db}`);
		created.push(db);
		const pool = new pg.Pool({ connectionString: urlOf(db), max: 2 });
		pools.push(pool);
		return { url: urlOf(db), pool };
	}
	return {
		kind: 'postgres',
		commits() {
			let target;
			return {
				key: 'commits',
				label: 'PostgreSQL commits, one row each (same server)',
				async run(seconds) {
					target ??= await database('commits');
					const c = await target.pool.connect();
					try {
						await c.query(
							'CREATE TABLE IF NOT EXISTS t (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL, at BIGINT NOT NULL)'
						);
						const lat = [];
						const started = performance.now();
						const end = started + seconds * 1000;
						while (performance.now() < end) {
							const t = performance.now();
							// autocommit: one transaction (and one WAL flush) each
							await c.query('INSERT INTO t (body, at) VALUES ($1, $2)', [
								'a reply of a few words',
								Date.now()
							]);
							lat.push(performance.now() - t);
						}
						const took = (performance.now() - started) / 1000;
						lat.sort((a, b) => a - b);
						const at = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
						return {
							rps: lat.length / took,
							p50: at(0.5),
							p99: at(0.99),
							codes: { ok: lat.length },
							unexpected: 0
						};
					} finally {
						c.release();
					}
				}
			};
		},
		async fresh(name) {
			const { url, pool } = await database(name);
			return {
				env: { DATABASE_URL: url },
				bulkSeed: (n) => pgBulkSeed(pool, n),
				staffCookie: () => pgStaffCookie(pool),
				workflowSeed: async () => {
					for (const q of seed.WORKFLOW_SEED) await pool.query(q);
				},
				pendingImages: async () =>
					Number(
						(await pool.query('SELECT count(*) AS n FROM attachments WHERE processed_at IS NULL'))
							.rows[0].n
					)
			};
		},
		/** Drops every database of this run (call after the portals stopped). */
		async close() {
			for (const p of pools.splice(0)) await p.end().catch(() => {});
			for (const db of created.splice(0))
				await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch((err) => {
					console.error(`could not drop ${db}: ${err.message}`);
				});
			await admin.end();
		}
	};
}

/** As seed.bulkSeed, on PostgreSQL: rows made by the server (generate_series), a chunk per transaction. */
async function pgBulkSeed(pool, target) {
	const started = performance.now();
	const c = await pool.connect();
	try {
		const project = (await c.query("SELECT id FROM projects WHERE key = 'demo'")).rows[0].id;
		const have = Number((await c.query('SELECT count(*) AS n FROM tickets')).rows[0].n);
		const base = Date.now() - 400 * 86_400_000;
		for (let from = have; from < target; from += CHUNK) {
			const to = Math.min(target, from + CHUNK);
			await c.query('BEGIN');
			await c.query(
				`INSERT INTO tickets (thread_key, project_id, title, description, status, reporter_email,
				 reporter_name, created_at, updated_at, last_activity_at)
				 SELECT 'seed' || lpad(i::text, 12, '0'), $1, 'Seeded ticket ' || i, 'Seeded description',
				 (ARRAY['open','open','waiting','resolved'])[i % 4 + 1], 'seed-' || i || '@example.com',
				 'Seeded', $2::bigint + i * 1000, $2::bigint + i * 1000, $2::bigint + i * 1000
				 FROM generate_series($3::bigint, $4::bigint - 1) AS i`,
				[project, base, from, to]
			);
			await c.query(
				`INSERT INTO ticket_recipients (ticket_id, public_id, email, role, created_at)
				 SELECT id, thread_key, reporter_email, 'reporter', created_at FROM tickets
				 WHERE thread_key >= $1 AND thread_key < $2`,
				[seedKey(from), seedKey(to)]
			);
			await c.query(
				`INSERT INTO messages (public_id, ticket_id, author_recipient_id, author_name, body, created_at)
				 SELECT public_id, ticket_id, id, 'Seeded', 'Seeded message', created_at FROM ticket_recipients
				 WHERE public_id >= $1 AND public_id < $2`,
				[seedKey(from), seedKey(to)]
			);
			await c.query('COMMIT');
		}
		// Fresh statistics, as autovacuum would give a database that grew over time.
		await c.query('ANALYZE');
		const n = Number((await c.query('SELECT count(*) AS n FROM tickets')).rows[0].n);
		return { tickets: n, seconds: (performance.now() - started) / 1000 };
	} finally {
		c.release();
	}
}

/** As seed.staffCookie, on PostgreSQL. */
async function pgStaffCookie(pool) {
	const now = Date.now();
	const user = (
		await pool.query(
			`INSERT INTO staff_users (email, name, password_hash, role, created_at)
			 VALUES ($1, 'Bench Admin', 'x', 'admin', $2) RETURNING id`,
			[`bench-admin-${now}@example.com`, now]
		)
	).rows[0].id;
	const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
	const token = Array.from(randomBytes(32), (b) => alphabet[b & 31]).join('');
	const hash = createHash('sha256').update(token).digest('hex');
	await pool.query(
		'INSERT INTO sessions (id, staff_user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)',
		[hash, user, now + 86_400_000, now]
	);
	return `portal_session=${token}`;
}
