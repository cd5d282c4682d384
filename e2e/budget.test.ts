import { expect, test, type Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { uniqueEmail } from './fixtures/helpers';

// Public pages are for reporters on slow phones: little JavaScript, never the validation library
// (zod stays on the server). Measured like a first visit: every script the page fetches until the
// network is idle (modulepreloads, Kit's eager error page and any import run at load), gzipped as
// one stream in URL order (arrival order alone moved the figure by ±0.5 KB). Svelte + SvelteKit's
// client alone are about 32 KB here. The target is 38 KB; the create and thread pages measure
// about 36.9 KB now that staff-only code stays out of the chunks they load (vite.chunks.ts,
// bench/HISTORY.md). This measures bytes, not time.
const BUDGET_KB = 38;

async function jsWeight(page: Page, path: string) {
	const scripts: [string, Buffer][] = [];
	const pending: Promise<void>[] = [];
	page.on('response', (res) => {
		if (res.request().resourceType() === 'script')
			pending.push(res.body().then((b) => void scripts.push([res.url(), b])));
	});
	await page.goto(path);
	await page.waitForLoadState('networkidle');
	await Promise.all(pending);
	scripts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	const all = Buffer.concat(scripts.map(([, b]) => b));
	return { kb: gzipSync(all).length / 1024, text: all.toString('utf8') };
}

for (const path of [
	'/ticket/demo',
	'/ticket/unsubscribe/aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
]) {
	test(`${path.split('/').slice(0, 3).join('/')} ships little JavaScript and no zod`, async ({
		page
	}) => {
		const { kb, text } = await jsWeight(page, path);
		expect(kb).toBeLessThan(BUDGET_KB);
		expect(text).not.toContain('ZodError');
	});
}

test('the thread page ships little JavaScript and no zod', async ({ page }) => {
	await page.goto('/ticket/demo');
	await page.getByLabel('Email').fill(uniqueEmail('budget'));
	await page.getByLabel('Title').fill('Budget check');
	await page.getByLabel('Description').fill('Measuring the thread page.');
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\//);
	const fresh = await page.context().newPage();
	const { kb, text } = await jsWeight(fresh, page.url());
	expect(kb).toBeLessThan(BUDGET_KB);
	expect(text).not.toContain('ZodError');
});

test('docs pages ship no JavaScript at all', async ({ page }) => {
	const { kb } = await jsWeight(page, '/doc/demo');
	expect(kb).toBeLessThan(0.1);
});
