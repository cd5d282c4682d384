import { chromium, expect, test } from '@playwright/test';
import { chromiumPath } from '../playwright.config';
import { uniqueEmail } from './fixtures/helpers';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, launchServer, type TestServer } from './fixtures/server';

test.describe.configure({ timeout: 120_000 });

let server: TestServer | undefined;
let plain: ChildProcess | undefined;
test.afterEach(async () => {
	await server?.stop();
	plain?.kill('SIGTERM');
});

/** The built portal on loopback, known to the world as ORIGIN (a host that is not localhost). */
async function startPlain(port: number, origin: string): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['scripts/start.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-e2e-plain-')),
			LOG_LEVEL: 'warn'
		},
		stdio: 'ignore'
	});
	for (let i = 0; i < 300; i++) {
		try {
			if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('server did not start');
}

const run = `${Date.now()}`;

/** A create POST from one "client address", optionally with one file. */
function create(ip: string, email: string, n: number, file?: File) {
	const body = new FormData();
	for (const [k, v] of Object.entries({
		email,
		title: `Refund ${run} #${n}`,
		description: 'd',
		type: 'question'
	}))
		body.append(k, v);
	if (file) body.append('files', file);
	return fetch(`${server!.origin}/ticket/demo?/create`, {
		method: 'POST',
		body,
		headers: { origin: server!.origin, accept: 'text/html', 'x-forwarded-for': ip },
		redirect: 'manual'
	});
}

test('refused creates (file too large, wrong type, another limit) do not use up the creation limits', async () => {
	server = await launchServer({
		CREATE_LIMIT_PER_CLIENT: '3',
		CREATE_LIMIT_PER_EMAIL: '2',
		CREATE_LIMIT_GLOBAL: '50',
		PUBLIC_UPLOAD_MAX_FILE_BYTES: '1024',
		ADDRESS_HEADER: 'x-forwarded-for',
		XFF_DEPTH: '1'
	});
	const ip = '203.0.113.77';
	const big = new File(['x'.repeat(4096)], 'big.txt', { type: 'text/plain' });
	const page = new File(['<!doctype html><html><script>alert(1)</script></html>'], 'p.html');
	// A burst of refused attempts: each answered with its own reason, none with 429.
	for (let i = 0; i < 8; i++) {
		const res = await create(ip, uniqueEmail('burst'), i, i % 2 ? big : page);
		expect(res.status).toBe(i % 2 ? 413 : 415);
	}
	// Refused by the email limit (from another address) costs this client nothing either.
	const victim = uniqueEmail('victim');
	expect((await create('198.51.100.9', victim, 20)).status).toBe(303);
	expect((await create('198.51.100.9', victim, 21)).status).toBe(303);
	for (let i = 0; i < 4; i++) expect((await create(ip, victim, 30 + i)).status).toBe(429);
	// The client still opens its whole allowance of 3, and only then is told it opened too many.
	for (let i = 0; i < 3; i++)
		expect((await create(ip, uniqueEmail('ok'), 40 + i)).status).toBe(303);
	const fourth = await create(ip, uniqueEmail('ok'), 43);
	expect(fourth.status).toBe(429);
	expect(await fourth.text()).toContain('Too many tickets were opened from your network recently.');
});

test('on a plain-http install the "we received your ticket" note shows (cookie not Secure)', async () => {
	// A plain-http host that is not localhost: Chromium refuses Secure cookies from it.
	const port = await freePort();
	const origin = `http://portal.test:${port}`;
	plain = await startPlain(port, origin);
	const browser = await chromium.launch({
		executablePath: chromiumPath,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			`--host-resolver-rules=MAP portal.test 127.0.0.1`
		]
	});
	try {
		const page = await browser.newPage();
		await page.goto(`${origin}/ticket/demo`);
		await page.getByLabel('Email').fill(uniqueEmail('plain'));
		await page.getByLabel('Title').fill('Plain http install');
		await page.getByLabel('Description').fill('Does the note show?');
		await page.getByRole('button', { name: 'Submit ticket' }).click();
		await expect(page).toHaveURL(/\/ticket\/thread\//);
		await expect(page.getByText(/we received your ticket/i)).toBeVisible();
		// Shown once: a reload no longer has it.
		await page.reload();
		await expect(page.getByRole('heading', { name: 'Plain http install' })).toBeVisible();
		await expect(page.getByText(/we received your ticket/i)).toHaveCount(0);
	} finally {
		await browser.close();
	}
});
