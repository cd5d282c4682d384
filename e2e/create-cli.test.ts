import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { openDb } from './fixtures/data';
import { dataDir, expectAccessible, origin } from './fixtures/helpers';

const run = promisify(execFile);
test.describe.configure({ timeout: 90_000 });

test('intake-link prints a link once that opens the form for the customer', async ({ page }) => {
	const customer = `CLI Customer ${Date.now()}`;
	const { stdout } = await run(
		process.execPath,
		[
			'scripts/portal.js',
			'intake-link',
			'--project',
			'demo',
			'--customer',
			customer,
			'--days',
			'3'
		],
		{
			env: { ...process.env, DATA_DIR: dataDir(), ORIGIN: origin(), LOG_LEVEL: 'warn' }
		}
	);
	expect(stdout).toContain(`Created the customer "${customer}".`);
	const urls = stdout.match(/https?:\/\/\S+/g) ?? [];
	expect(urls).toHaveLength(1);
	expect(urls[0]).toMatch(new RegExp(`^${origin()}/ticket/demo\\?customer_token=[a-z2-7]{32}$`));
	const token = urls[0].split('=')[1];
	const db = openDb();
	expect(JSON.stringify(db.prepare('SELECT * FROM customer_intake_links').all())).not.toContain(
		token
	);
	db.close();

	await page.goto(urls[0]);
	await expect(page.getByText(`This ticket will be opened for ${customer}.`)).toBeVisible();
	const res = await page.request.get(urls[0]);
	expect(res.headers()['cache-control']).toBe('no-store');
});

test('a filled honeypot looks like a success in the browser', async ({ page }) => {
	await page.goto('/ticket/demo');
	await page.getByLabel('Email').fill('bot@example.com');
	await page.getByLabel('Title').fill('Cheap pills');
	await page.getByLabel('Description').fill('Buy now');
	await page.locator('input[name="website"]').fill('http://spam.example', { force: true });
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(
		page.getByRole('heading', { name: 'Thank you, we received your ticket' })
	).toBeVisible();
	await expectAccessible(page);
});
