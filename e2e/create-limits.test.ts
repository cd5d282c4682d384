import { expect, test } from '@playwright/test';
import { openDb } from './fixtures/data';
import { expectAccessible, uniqueEmail } from './fixtures/helpers';
import { launchServer, type TestServer } from './fixtures/server';

// Low limits on a server of its own, behind a "proxy" header so each request can come from
// another client address.
let server: TestServer;
test.describe.configure({ timeout: 120_000 });
test.beforeAll(async () => {
	server = await launchServer({
		CREATE_LIMIT_PER_CLIENT: '3',
		CREATE_LIMIT_PER_EMAIL: '2',
		CREATE_LIMIT_GLOBAL: '9',
		ADDRESS_HEADER: 'x-forwarded-for',
		XFF_DEPTH: '1'
	});
});
test.afterAll(async () => server?.stop());

const run = `${Date.now()}`;
function create(ip: string, email: string, n: number) {
	const body = new URLSearchParams({
		email,
		title: `Limit ${run} #${n}`,
		description: 'd',
		type: 'question'
	});
	return fetch(`${server.origin}/ticket/demo?/create`, {
		method: 'POST',
		body,
		headers: { origin: server.origin, accept: 'text/html', 'x-forwarded-for': ip },
		redirect: 'manual'
	});
}

async function expectRefused(res: Response, reason: string) {
	expect(res.status).toBe(429);
	expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(3000);
	const html = await res.text();
	expect(html).toContain(reason);
	expect(html).toMatch(/Please try again in \d+ (minutes|hour)/);
}

test('N+1 direct POSTs: per client (IPv4, IPv6 /64), per email and per install, counted across a restart', async () => {
	// Per client: 3 allowed, a restart in between, the 4th refused with nothing stored.
	expect((await create('203.0.113.5', uniqueEmail('c1'), 1)).status).toBe(303);
	expect((await create('203.0.113.5', uniqueEmail('c2'), 2)).status).toBe(303);
	await server.restart();
	expect((await create('203.0.113.5', uniqueEmail('c3'), 3)).status).toBe(303);
	await expectRefused(
		await create('203.0.113.5', uniqueEmail('c4'), 4),
		'Too many tickets were opened from your network recently.'
	);

	// Per email, whatever the client: 2 allowed.
	const victim = uniqueEmail('victim');
	expect((await create('198.51.100.1', victim, 5)).status).toBe(303);
	expect((await create('198.51.100.2', victim, 6)).status).toBe(303);
	await expectRefused(
		await create('198.51.100.3', victim.toUpperCase(), 7),
		'Too many tickets were opened for this email address recently.'
	);

	// IPv6 clients count by /64.
	expect((await create('2001:db8:1:2::a', uniqueEmail('v6'), 8)).status).toBe(303);
	expect((await create('2001:db8:1:2::b', uniqueEmail('v6'), 9)).status).toBe(303);
	expect((await create('2001:db8:1:2:ffff::1', uniqueEmail('v6'), 10)).status).toBe(303);
	await expectRefused(await create('2001:db8:1:2::c', uniqueEmail('v6'), 11), 'from your network');
	expect((await create('2001:db8:1:3::a', uniqueEmail('v6'), 12)).status).toBe(303);

	// The whole install: 9 so far (3 + 2 + 3 + 1); the 10th from a fresh client and email is refused.
	await expectRefused(
		await create('192.0.2.77', uniqueEmail('g'), 13),
		'The portal is receiving too many new tickets right now.'
	);

	const db = openDb(server.dataDir);
	const stored = (
		db.prepare('SELECT title FROM tickets WHERE title LIKE ?').all(`Limit ${run} #%`) as {
			title: string;
		}[]
	).map((r) => Number(r.title.split('#')[1]));
	db.close();
	expect(stored.sort((a, b) => a - b)).toEqual([1, 2, 3, 5, 6, 8, 9, 10, 12]);
});

test('a refused browser submit shows the sentence and keeps what was typed', async ({
	browser
}) => {
	const context = await browser.newContext({
		extraHTTPHeaders: { 'x-forwarded-for': '203.0.113.5' }
	});
	const page = await context.newPage();
	await page.goto(`${server.origin}/ticket/demo`);
	await page.getByLabel('Email').fill(uniqueEmail('browser'));
	await page.getByLabel('Title').fill('Typed title');
	await page.getByLabel('Description').fill('Typed description');
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Too many tickets were opened from your network recently. Please try again in'
	);
	await expect(page.getByLabel('Title')).toHaveValue('Typed title');
	await expect(page.getByLabel('Description')).toHaveValue('Typed description');
	await expectAccessible(page);
	await context.close();
});
