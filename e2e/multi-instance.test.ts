import { expect, test } from '@playwright/test';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import sharp from 'sharp';
import { uniqueEmail } from './fixtures/helpers';
import { startS3, startTestSmtp } from './fixtures/peers';
import { launchServer, type TestServer } from './fixtures/server';
import { fillAccount, openTicket, reporterTicket, setupUrlFrom } from './fixtures/staff';

// Two portal processes as behind a load balancer: one PostgreSQL database, one S3 bucket, one
// Redis, one SMTP server, the same SECRET_KEY, each its own DATA_DIR and port.
const ADMIN_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

async function reachable(): Promise<string | null> {
	const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
	try {
		await client.connect();
	} catch (err) {
		return `PostgreSQL at ${ADMIN_URL} is not reachable (${(err as Error).message})`;
	} finally {
		await client.end().catch(() => {});
	}
	const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
	try {
		await redis.connect();
		await redis.ping();
	} catch (err) {
		return `Redis at ${REDIS_URL} is not reachable (${(err as Error).message})`;
	} finally {
		redis.disconnect();
	}
	return null;
}

const dbUrl = (name: string) => {
	const u = new URL(ADMIN_URL);
	u.pathname = `/${name}`;
	return u.href;
};

test('two instances share the database, storage, limits and the mail queue', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const missing = await reachable();
	test.skip(missing !== null, `multi-instance test skipped: ${missing}`);

	const run = `multi_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
	const admin = new pg.Client({ connectionString: ADMIN_URL });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${run}`);
	const db = new pg.Client({ connectionString: dbUrl(run) });
	const s3 = await startS3('portal-multi');
	// One relay per instance, so the test knows whose mail is in flight when it kills A.
	const smtp = await startTestSmtp();
	const smtpB = await startTestSmtp();
	const all = () => [...smtp.received, ...smtpB.received];
	const redisPrefix = `portal:${run}:`;
	const redis = new Redis(REDIS_URL);
	const env = {
		DATABASE_URL: dbUrl(run),
		STORAGE_URL: `s3://${s3.bucket}/files?endpoint=${encodeURIComponent(s3.endpoint)}&forcePathStyle=true`,
		AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
		AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
		REDIS_URL: REDIS_URL,
		REDIS_PREFIX: redisPrefix,
		SECRET_KEY: randomBytes(32).toString('hex'),
		SMTP_URL: smtp.url,
		OUTBOX_LEASE_SEC: '3',
		THUMBNAIL_LEASE_SEC: '3',
		CREATE_LIMIT_PER_CLIENT: '3',
		CREATE_LIMIT_PER_EMAIL: '2',
		ADDRESS_HEADER: 'x-forwarded-for',
		XFF_DEPTH: '1',
		LOG_LEVEL: 'info'
	};
	const servers: TestServer[] = [];
	try {
		// Both start at once on the empty database: each migration is applied once, none fails.
		const [a, b] = await Promise.all([
			launchServer(env),
			launchServer({ ...env, SMTP_URL: smtpB.url, OUTBOX_POLL_MS: '1000' })
		]);
		servers.push(a, b);
		await db.connect();
		const applied = await db.query('SELECT version FROM schema_migrations ORDER BY version');
		const files = readdirSync('migrations/postgres').filter((f) => f.endsWith('.sql'));
		expect(applied.rows.map((r) => r.version)).toEqual(files.map((f) => f.replace('.sql', '')));
		expect(
			(await db.query(`SELECT count(*)::int AS n FROM projects WHERE key = 'demo'`)).rows[0].n
		).toBe(1);

		// A reporter opens a ticket on A; the admin, signed up and signed in on B, answers it.
		const browse = (ip: string) =>
			browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': ip } });
		const reporter = await (await browse('192.0.2.10')).newPage();
		const title = `Across instances ${run}`;
		const threadUrl = await reporterTicket(reporter, a.origin, uniqueEmail('multi'), title);
		const token = new URL(threadUrl).pathname.split('/').pop();
		// A remembers the demo's create form (types, templates); a change made elsewhere (here
		// plain SQL, as another instance or the CLI would) reaches A's next page.
		await db.query(
			`UPDATE ticket_types SET name = 'Question (${run})' WHERE project_id IS NULL AND key = 'question'`
		);
		await reporter.goto(`${a.origin}/ticket/demo`);
		await expect(
			reporter.getByLabel('Type').locator('option', { hasText: `Question (${run})` })
		).toHaveCount(1);
		await reporter.goto(threadUrl);
		const poll = (s: TestServer, cursor: string) =>
			fetch(`${s.origin}/ticket/thread/${token}/messages?after=${encodeURIComponent(cursor)}`, {
				headers: { 'x-forwarded-for': '192.0.2.10' }
			});
		// Where the page's poll starts: the reporter's description is the ticket, not a message.
		let cursor = 'open.0.';
		const first = await poll(a, cursor);
		if (first.status === 200) ({ cursor } = (await first.json()) as { cursor: string });
		expect((await poll(a, cursor)).status).toBe(204);

		const staff = await (await browse('192.0.2.20')).newPage();
		await staff.goto(setupUrlFrom(b.output(), b.origin));
		await fillAccount(staff, {
			email: 'admin@example.com',
			name: 'Ada Admin',
			password: 'correct horse battery staple'
		});
		await expect(staff).toHaveURL(`${b.origin}/app`);
		await openTicket(staff, b.origin, title);
		await staff.getByLabel('Public reply').fill('Answered from instance B.');
		await staff.getByRole('button', { name: 'Send reply' }).click();
		await expect(staff.getByText('Reply sent to everyone on the ticket.')).toBeVisible();
		const changed = await poll(a, cursor);
		expect(changed.status).toBe(200);
		const body = (await changed.json()) as { messages: { body: string }[] };
		expect(body.messages.map((m) => m.body)).toContain('Answered from instance B.');
		await reporter.reload();
		await expect(reporter.getByText('Answered from instance B.')).toBeVisible();

		// The confirmation and the reply notification: two mails, once each.
		await expect.poll(() => all().length, { timeout: 15_000 }).toBe(2);

		// A create budget spent on A is refused on B (counters in Redis).
		const create = (s: TestServer, n: number, ip: string) =>
			fetch(`${s.origin}/ticket/demo?/create`, {
				method: 'POST',
				body: new URLSearchParams({
					email: uniqueEmail(`burst${n}`),
					title: `Burst ${run} #${n}`,
					description: 'd',
					type: 'question'
				}),
				headers: { origin: s.origin, accept: 'text/html', 'x-forwarded-for': ip },
				redirect: 'manual'
			});
		for (let n = 1; n <= 3; n++) expect((await create(a, n, '203.0.113.7')).status).toBe(303);
		const refused = await create(b, 4, '203.0.113.7');
		expect(refused.status).toBe(429);
		expect(await refused.text()).toContain('Too many tickets were opened from your network');
		expect((await redis.keys(`${redisPrefix}*`)).length).toBeGreaterThan(0);
		await expect.poll(() => all().length, { timeout: 15_000 }).toBe(5);

		// 20 events, then A is killed mid-queue: B retries A's claimed mail once the lease ran out.
		const before = all().length;
		const aPid = a.pid();
		let sentAtKill = -1;
		let armed = false;
		smtp.rcptDelayMs = 300;
		smtp.onRcpt = () => {
			// A is waiting for its RCPT TO to be answered: it dies holding that mail, unsent.
			if (armed && sentAtKill < 0) {
				sentAtKill = all().length - before;
				a.signal('SIGKILL');
			}
		};
		await Promise.all(
			Array.from({ length: 20 }, async (_, i) => {
				const res = await create(a, 100 + i, `198.51.100.${i + 1}`);
				expect(res.status).toBe(303);
			})
		);
		// Every event is committed (A answered each request) before A dies.
		armed = true;
		await expect
			.poll(() => sentAtKill, { timeout: 20_000, intervals: [50] })
			.toBeGreaterThanOrEqual(0);
		// The mail A had claimed and not sent when it died (claimed_by is host:pid:random).
		const orphaned = await db.query(
			`SELECT id FROM outbound_emails WHERE status = 'pending' AND claimed_by LIKE $1`,
			[`%:${aPid}:%`]
		);
		expect(sentAtKill).toBeLessThan(20);
		expect(orphaned.rows.length).toBeGreaterThan(0);
		await expect.poll(() => all().length - before, { timeout: 40_000, intervals: [500] }).toBe(20);
		test.info().annotations.push({
			type: 'kill -9',
			description: `A died after ${sentAtKill} of 20 mails, holding ${orphaned.rows.length}`
		});
		// Each of the 20 reporters got exactly one mail, and no mail is left behind.
		const rcpts = all()
			.flatMap((r) => r.rcptTo)
			.filter((to) => /^burst1\d\d-/.test(to));
		expect(new Set(rcpts).size).toBe(20);
		await new Promise((r) => setTimeout(r, 1500));
		expect(all().length - before).toBe(20);
		const left = await db.query(
			`SELECT status, count(*)::int AS n FROM outbound_emails GROUP BY status`
		);
		expect(left.rows).toEqual([{ status: 'sent', n: 25 }]);
		const retried = await db.query(
			`SELECT count(*)::int AS n FROM outbound_emails WHERE id = ANY($1) AND status = 'sent'`,
			[orphaned.rows.map((r) => r.id)]
		);
		expect(retried.rows[0].n).toBe(orphaned.rows.length);

		// A third instance stores a large photo and is killed while making its thumbnail: B
		// makes it once C's claim on the image ran out.
		const c = await launchServer(env);
		servers.push(c);
		const cPid = c.pid();
		const photo = await sharp({
			create: {
				width: 600,
				height: 400,
				channels: 3,
				noise: { type: 'gaussian', mean: 128, sigma: 60 }
			}
		})
			.png()
			.toBuffer()
			.then((small) => sharp(small).resize(6000, 4000).jpeg({ quality: 85 }).toBuffer());
		const form = new FormData();
		for (const [k, v] of Object.entries({
			email: uniqueEmail('photo'),
			title: `Photo ${run}`,
			description: 'A large photo.',
			type: 'question'
		}))
			form.set(k, v);
		form.set('files', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg');
		const upload = fetch(`${c.origin}/ticket/demo?/create`, {
			method: 'POST',
			body: form,
			headers: { origin: c.origin, accept: 'text/html', 'x-forwarded-for': '198.51.100.200' },
			redirect: 'manual'
		}).catch(() => null);
		const imageRow = () =>
			db.query(
				`SELECT a.id, a.claimed_by, a.processed_at, a.thumbnail_key, a.storage_key
				 FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.title = $1`,
				[`Photo ${run}`]
			);
		// Committed with C's claim; C dies before it finished the thumbnail.
		await expect
			.poll(async () => (await imageRow()).rows.length, { timeout: 30_000, intervals: [20] })
			.toBe(1);
		c.signal('SIGKILL');
		await upload;
		const claimed = (await imageRow()).rows[0];
		expect(claimed.claimed_by).toContain(`:${cPid}:`);
		expect(claimed.processed_at).toBeNull();
		await expect
			.poll(async () => (await imageRow()).rows[0].thumbnail_key, { timeout: 40_000 })
			.toBe(`${claimed.storage_key}.thumb.webp`);
		const done = (await imageRow()).rows[0];
		expect(done.claimed_by).toBeNull();
		expect(Number(done.processed_at)).toBeGreaterThan(0);
		// The thumbnail object is in the shared bucket.
		const listed = await fetch(`${s3.endpoint}/${s3.bucket}?list-type=2&prefix=files/`);
		expect(await listed.text()).toContain(`files/${claimed.storage_key}.thumb.webp`);
	} finally {
		for (const s of servers) await s.stop();
		await db.end().catch(() => {});
		await admin.query(`DROP DATABASE IF EXISTS ${run} WITH (FORCE)`).catch(() => {});
		await admin.end();
		const keys = await redis.keys(`${redisPrefix}*`);
		if (keys.length) await redis.del(...keys);
		redis.disconnect();
		await smtp.close();
		await smtpB.close();
		await s3.close();
	}
});
