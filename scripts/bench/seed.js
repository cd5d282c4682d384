// What the benchmark needs in the portal: tickets made over HTTP the way a visitor makes them,
// bulk tickets written straight into SQLite (one transaction per chunk), a staff session, and
// JPEG files of the sizes the upload rows send.
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';

/** A JPEG of about `bytes` (noise, so it does not compress away) or a smooth one of w×h. */
export async function noiseJpeg(bytes) {
	const side = Math.round(Math.sqrt(bytes / 0.47));
	return sharp({
		create: {
			width: side,
			height: side,
			channels: 3,
			noise: { type: 'gaussian', mean: 128, sigma: 40 }
		}
	})
		.jpeg({ quality: 80 })
		.toBuffer();
}

export async function photoJpeg(width, height) {
	const small = await sharp({
		create: {
			width: Math.ceil(width / 10),
			height: Math.ceil(height / 10),
			channels: 3,
			noise: { type: 'gaussian', mean: 128, sigma: 60 }
		}
	})
		.png()
		.toBuffer();
	return sharp(small).resize(width, height, { kernel: 'cubic' }).jpeg({ quality: 85 }).toBuffer();
}

/** A multipart/form-data body: fields, then files ({ name, filename, type, data }). */
export function multipart(fields, files = []) {
	const boundary = `----bench${randomBytes(8).toString('hex')}`;
	const parts = [];
	for (const [k, v] of Object.entries(fields)) {
		parts.push(
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
		);
	}
	for (const f of files) {
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`
			),
			f.data,
			Buffer.from('\r\n')
		);
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

export const ticketFields = (n = 0) => ({
	email: `bench-${n}@example.com`,
	name: 'Bench Reporter',
	type: 'question',
	title: `Benchmark ticket ${n}`,
	description:
		'The export button does nothing after the last update. Steps: open Reports, press Export.',
	message: '',
	website: ''
});

/** Headers of a form POST the way the enhanced (JS) page sends it. */
export const jsPost = (origin, type) => ({
	origin,
	'content-type': type,
	'x-sveltekit-action': 'true',
	accept: 'application/json'
});
/** …and the way a browser without JS sends it (answered with a 303). */
export const htmlPost = (origin, type) => ({ origin, 'content-type': type, accept: 'text/html' });

/** Creates a ticket through the public form; returns the thread path. */
export async function createTicket(origin, fields, files = []) {
	const { body, type } = multipart(fields, files);
	const res = await fetch(`${origin}/ticket/demo?/create`, {
		method: 'POST',
		headers: jsPost(origin, type),
		body
	});
	const json = await res.json();
	if (json.type !== 'redirect')
		throw new Error(`create failed: ${JSON.stringify(json).slice(0, 300)}`);
	return json.location;
}

export async function reply(origin, path, text) {
	const { body, type } = multipart({ name: 'Bench Reporter', body: text });
	const res = await fetch(`${origin}${path}?/reply`, {
		method: 'POST',
		headers: jsPost(origin, type),
		body
	});
	const json = await res.json();
	if (json.type !== 'success')
		throw new Error(`reply failed: ${JSON.stringify(json).slice(0, 300)}`);
}

/** The poll cursor the thread page gives out now. */
export async function cursorOf(origin, path) {
	const html = await (await fetch(origin + path)).text();
	const m = html.match(/cursor:"([^"]*)"/);
	if (!m) throw new Error('no cursor in the thread page');
	return m[1];
}

const CHUNK = 25_000;

/**
 * Adds tickets (each with its reporter and one message) to the demo project until the database
 * holds `target`, one transaction per chunk. Returns the count and seconds taken.
 */
export function bulkSeed(dbFile, target) {
	const db = new Database(dbFile);
	db.pragma('busy_timeout = 10000');
	// Set-up data, not a user's action: no fsync per chunk, and a big page cache.
	db.pragma('synchronous = OFF');
	db.pragma('cache_size = -262144');
	const started = performance.now();
	const project = db.prepare("SELECT id FROM projects WHERE key = 'demo'").get().id;
	const have = db.prepare('SELECT count(*) AS n FROM tickets').get().n;
	const ticket = db.prepare(
		`INSERT INTO tickets (thread_key, project_id, title, description, status, reporter_email, reporter_name,
		 created_at, updated_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?, 'Seeded', ?, ?, ?)`
	);
	const recipient = db.prepare(
		`INSERT INTO ticket_recipients (ticket_id, public_id, email, role, created_at) VALUES (?, ?, ?, 'reporter', ?)`
	);
	const message = db.prepare(
		`INSERT INTO messages (public_id, ticket_id, author_recipient_id, author_name, body, created_at)
		 VALUES (?, ?, ?, 'Seeded', ?, ?)`
	);
	const statuses = ['open', 'open', 'waiting', 'resolved'];
	const base = Date.now() - 400 * 86_400_000;
	const chunk = db.transaction((from, to) => {
		for (let i = from; i < to; i++) {
			const t = base + i * 1000;
			const email = `seed-${i}@example.com`;
			// Ascending keys keep the unique indexes' inserts at their right edge (random ones make
			// a million-row seed many times slower); seeded rows are never opened by their keys.
			const key = `seed${String(i).padStart(12, '0')}`;
			const id = ticket.run(
				key,
				project,
				`Seeded ticket ${i}`,
				'Seeded description',
				statuses[i % 4],
				email,
				t,
				t,
				t
			).lastInsertRowid;
			const r = recipient.run(id, key, email, t).lastInsertRowid;
			message.run(key, id, r, `Seeded message ${i}`, t);
		}
	});
	for (let i = have; i < target; i += CHUNK) chunk(i, Math.min(target, i + CHUNK));
	const n = db.prepare('SELECT count(*) AS n FROM tickets').get().n;
	db.close();
	return { tickets: n, seconds: (performance.now() - started) / 1000 };
}

/** Inserts an admin and a session for it; returns the Cookie header value. */
export function staffCookie(dbFile) {
	const db = new Database(dbFile);
	db.pragma('busy_timeout = 10000');
	const now = Date.now();
	const user = db
		.prepare(
			`INSERT INTO staff_users (email, name, password_hash, role, created_at) VALUES (?, 'Bench Admin', 'x', 'admin', ?)`
		)
		.run(`bench-admin-${now}@example.com`, now).lastInsertRowid;
	const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
	const token = Array.from(randomBytes(32), (b) => alphabet[b & 31]).join('');
	const hash = createHash('sha256').update(token).digest('hex');
	db.prepare(
		'INSERT INTO sessions (id, staff_user_id, expires_at, created_at) VALUES (?, ?, ?, ?)'
	).run(hash, user, now + 86_400_000, now);
	db.close();
	return `portal_session=${token}`;
}

/**
 * The staff workflow's share of the seed (same SQL on both dialects): every 10th ticket assigned
 * to the newest staff member (the bench admin), every 100th tagged "bench".
 */
export const WORKFLOW_SEED = [
	'UPDATE tickets SET assignee_id = (SELECT max(id) FROM staff_users) WHERE id % 10 = 0',
	"INSERT INTO tags (project_id, name, created_at) SELECT id, 'bench', 0 FROM projects WHERE key = 'demo'",
	"INSERT INTO ticket_tags (ticket_id, tag_id, name, last_activity_at, status, assignee_id) SELECT t.id, g.id, g.name, t.last_activity_at, t.status, t.assignee_id FROM tickets t, tags g WHERE g.name = 'bench' AND t.id % 100 = 0"
];

export function workflowSeed(dbFile) {
	const db = new Database(dbFile);
	db.pragma('busy_timeout = 10000');
	db.transaction(() => WORKFLOW_SEED.forEach((q) => db.prepare(q).run()))();
	db.close();
}

/** Attachments still waiting for their thumbnail. */
export function pendingImages(dbFile) {
	const db = new Database(dbFile, { readonly: true });
	db.pragma('busy_timeout = 10000');
	const n = db.prepare('SELECT count(*) AS n FROM attachments WHERE processed_at IS NULL').get().n;
	db.close();
	return n;
}

/**
 * A thread of 20 messages (the first one carrying two images) and two poll cursors: one from
 * before its last message (the poll then answers one new message) and the current one (204).
 */
export async function thread(origin, jpeg) {
	const files = [1, 2].map((i) => ({
		name: 'files',
		filename: `screenshot-${i}.jpg`,
		type: 'image/jpeg',
		data: jpeg
	}));
	const path = await createTicket(
		origin,
		{ ...ticketFields(0), message: 'Here are two screenshots of it.' },
		files
	);
	for (let i = 1; i < 19; i++)
		await reply(origin, path, `Reply number ${i}: still happening after a restart.`);
	const cursorBefore = await cursorOf(origin, path);
	await reply(origin, path, 'Reply number 19: fixed now, thank you.');
	return { path, cursorBefore, cursor: await cursorOf(origin, path) };
}
