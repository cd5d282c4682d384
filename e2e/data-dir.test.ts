import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from './fixtures/data';
import { uniqueEmail } from './fixtures/helpers';
import { freePort, launchServer, type TestServer } from './fixtures/server';

// Only one process may own a data folder: a second `npm start` on it (by mistake, or an
// overlapping deploy) must refuse before it sweeps files or sends mail.
let server: TestServer;
test.describe.configure({ timeout: 120_000 });
test.beforeAll(async () => {
	server = await launchServer();
});
test.afterAll(async () => server?.stop());

const files = (dir: string, sub: string) =>
	existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).sort() : [];

function create(n: number) {
	const form = new FormData();
	form.append('email', uniqueEmail('lock'));
	form.append('title', `Lock ${n}`);
	form.append('description', 'Files attached while a second portal starts.');
	form.append('type', 'question');
	form.append('files', new Blob([`file ${n} `.repeat(20_000)], { type: 'text/plain' }), 'log.txt');
	return fetch(`${server.origin}/ticket/demo?/create`, {
		method: 'POST',
		body: form,
		headers: { origin: server.origin, accept: 'text/html' },
		redirect: 'manual'
	});
}

/** `npm start` on the same folder (on another port, so only the folder can stop it). */
async function secondStart(): Promise<{ code: number | null; output: string; ms: number }> {
	const started = Date.now();
	const child = spawn(process.execPath, ['scripts/start.js'], {
		env: {
			...process.env,
			PORT: String(await freePort()),
			HOST: '127.0.0.1',
			DATA_DIR: server.dataDir,
			LOG_LEVEL: 'info',
			OUTBOX_POLL_MS: '200'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	// A portal that does not refuse would serve on: stop it, so the test fails rather than hangs.
	const serving = setTimeout(() => child.kill('SIGKILL'), 30_000);
	const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	clearTimeout(serving);
	return { code, output, ms: Date.now() - started };
}

test('a second start on a live data folder exits at once, naming the holder, and touches nothing', async () => {
	// A file an upload in flight has written but not yet committed: no row names it yet.
	const inFlight = 'inflightinflightinflightin';
	mkdirSync(join(server.dataDir, 'attachments'), { recursive: true });
	writeFileSync(join(server.dataDir, 'attachments', inFlight), 'being uploaded');
	const mailBefore = files(server.dataDir, 'mail');

	const uploads = Promise.all(Array.from({ length: 8 }, (_, i) => create(i)));
	const second = await secondStart();
	const answers = await uploads;

	const holder = readFileSync(join(server.dataDir, 'portal.pid'), 'utf8').trim();
	expect(second.code).not.toBe(0);
	expect(second.output.trim()).toBe(
		`The data folder ${server.dataDir} is in use by process ${holder}: stop that portal first, or set another DATA_DIR.`
	);
	expect(second.ms).toBeLessThan(20_000);

	// Every acknowledged create has its file; the in-flight file is still there.
	expect(answers.map((r) => r.status)).toEqual(Array(8).fill(303));
	const db = openDb(server.dataDir);
	const keys = db
		.prepare(
			`SELECT a.storage_key FROM attachments a JOIN tickets t ON t.id = a.ticket_id
			 WHERE t.title LIKE 'Lock %'`
		)
		.all() as { storage_key: string }[];
	expect(keys).toHaveLength(8);
	const stored = files(server.dataDir, 'attachments');
	for (const k of keys) expect(stored).toContain(k.storage_key);
	expect(stored).toContain(inFlight);

	// One confirmation per ticket, each written once: nothing was sent twice.
	await expect
		.poll(() => files(server.dataDir, 'mail').length - mailBefore.length, { timeout: 15_000 })
		.toBe(8);
	await new Promise((r) => setTimeout(r, 1000));
	expect(files(server.dataDir, 'mail').length - mailBefore.length).toBe(8);
	const sent = db
		.prepare(`SELECT count(*) AS n FROM outbound_emails WHERE status = 'sent'`)
		.get() as { n: number };
	expect(files(server.dataDir, 'mail')).toHaveLength(sent.n);
	db.close();

	// The holder keeps serving.
	expect((await fetch(`${server.origin}/healthz`)).ok).toBe(true);
});
