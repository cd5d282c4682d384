import { expect, test, type Page } from '@playwright/test';
import { makeProject, withDb } from './fixtures/data';
import { expectAccessible, uniqueEmail } from './fixtures/helpers';

const panel = (page: Page) => page.getByRole('region', { name: 'Related help articles' });
const formCenter = async (page: Page) => {
	const b = (await page.locator('form.card').boundingBox())!;
	return b.x + b.width / 2;
};

test('at 1280 px matches slide the form aside for a panel; no matches keep it centered', async ({
	page
}) => {
	await page.setViewportSize({ width: 1280, height: 900 });
	const asked: string[] = [];
	page.on('request', (r) => r.url().includes('/suggestions?') && asked.push(r.url()));
	await page.goto('/ticket/demo');
	expect(Math.abs((await formCenter(page)) - 640)).toBeLessThan(2);

	await page.getByLabel('Title').pressSequentially('How do I attach a screenshot', { delay: 25 });
	await expect(panel(page)).toBeVisible();
	await expect(panel(page).getByRole('link').first()).toHaveText(/Attaching files and screenshots/);
	await expect(panel(page).getByRole('link')).toHaveCount(
		await panel(page).getByRole('listitem').count()
	);
	expect(await panel(page).getByRole('listitem').count()).toBeLessThanOrEqual(5);
	const marks = await panel(page).locator('mark').allTextContents();
	expect(marks.length).toBeGreaterThan(0);
	for (const m of marks) expect(m).toMatch(/^(attach|screenshot)/i);
	expect(asked.length, 'debounced: far fewer requests than keystrokes').toBeLessThanOrEqual(3);

	await expect.poll(() => formCenter(page)).toBeLessThan(640 - 100);
	const form = (await page.locator('form.card').boundingBox())!;
	const side = (await panel(page).boundingBox())!;
	expect(side.x).toBeGreaterThanOrEqual(form.x + form.width);
	expect(side.x + side.width).toBeLessThanOrEqual(1280);

	await page.getByLabel('Title').fill('zzqxv wobble');
	await expect(panel(page)).toBeHidden();
	await expect.poll(async () => Math.abs((await formCenter(page)) - 640)).toBeLessThan(2);

	// The slide is a CSS transition, switched off for people who ask for less motion.
	const duration = () =>
		page.locator('.suggest-main').evaluate((el) => getComputedStyle(el).transitionDuration);
	expect(await duration()).toContain('0.3s');
	await page.emulateMedia({ reducedMotion: 'reduce' });
	expect(await duration()).not.toContain('0.3s');
});

test('at 390 px the suggestions appear right under the title field', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto('/ticket/demo');
	await page.getByLabel('Title').fill('unsubscribe from emails');
	await expect(panel(page)).toBeVisible();
	await expect(panel(page).getByRole('link').first()).toHaveText(/Stopping email notifications/);
	const title = (await page.getByLabel('Title').boundingBox())!;
	const description = (await page.getByLabel('Description').boundingBox())!;
	const list = (await panel(page).boundingBox())!;
	expect(list.y).toBeGreaterThan(title.y + title.height);
	expect(list.y + list.height).toBeLessThan(description.y);
	expect(list.x + list.width).toBeLessThanOrEqual(390);
});

test('a suggestion opens in a new tab, the form keeps its text, and "This answered my question" is counted', async ({
	page
}) => {
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto('/ticket/demo');
	const email = uniqueEmail();
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Title').fill('attach a screenshot');
	await page.getByLabel('Description').fill('My words must stay here');
	const link = panel(page).getByRole('link', { name: /Attaching files and screenshots/ });
	await expect(link).toHaveAttribute('target', '_blank');
	await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
	const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
	await expect(tab).toHaveURL(/\/doc\/demo\/attaching-files$/);
	await expect(tab.getByRole('heading', { level: 1 })).toHaveText(
		'Attaching files and screenshots'
	);
	await tab.close();
	await expect(page).toHaveURL(/\/ticket\/demo$/);
	await expect(page.getByLabel('Email')).toHaveValue(email);
	await expect(page.getByLabel('Title')).toHaveValue('attach a screenshot');
	await expect(page.getByLabel('Description')).toHaveValue('My words must stay here');

	const count = () =>
		withDb(
			(db) =>
				(
					db
						.prepare("SELECT count(*) AS n FROM doc_deflections WHERE doc_slug = 'attaching-files'")
						.get() as { n: number }
				).n
		);
	const before = count();
	await panel(page)
		.getByRole('button', { name: 'This answered my question: Attaching files and screenshots' })
		.click();
	await expect(panel(page).getByText('Glad it helped!')).toBeVisible();
	expect(count()).toBe(before + 1);
	const columns = withDb((db) =>
		(db.prepare('PRAGMA table_info(doc_deflections)').all() as { name: string }[]).map(
			(c) => c.name
		)
	);
	expect(columns).toEqual(['id', 'project_key', 'doc_slug', 'created_at']);
});

test('the create page with the panel open is accessible', async ({ page }) => {
	await page.goto('/ticket/demo');
	await page.getByLabel('Title').fill('lost my ticket link');
	await expect(panel(page)).toBeVisible();
	await expectAccessible(page);
	await expect(panel(page)).toBeVisible();
});

test('the docs link shows on /ticket/demo and not for a project without public docs', async ({
	page
}) => {
	await page.goto('/ticket/demo');
	await expect(
		page.getByRole('link', { name: 'Check the docs before you submit' })
	).toHaveAttribute('href', '/doc/demo');

	const key = `nodocs-${Date.now().toString(36)}`;
	withDb((db) => makeProject(db, { key, name: 'No Docs Inc' }));
	await page.goto(`/ticket/${key}`);
	await expect(page.getByRole('heading', { level: 1, name: 'Open a ticket' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Check the docs before you submit' })).toHaveCount(0);
	await page.getByLabel('Title').fill('attach a screenshot');
	await page.waitForTimeout(600);
	await expect(panel(page)).toHaveCount(0);
	const res = await page.goto(`/doc/${key}`);
	expect(res?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'No help articles here' })).toBeVisible();
});

test('the suggestion endpoints take any text and refuse bad deflections', async ({ request }) => {
	for (const q of ['"', '(attach', 'title:x -y*', 'NEAR(a b)', '💥'.repeat(500)]) {
		const res = await request.get(`/ticket/demo/suggestions?q=${encodeURIComponent(q)}`);
		expect(res.status(), q).toBe(200);
		expect(Array.isArray((await res.json()).results)).toBe(true);
	}
	const post = (
		data: unknown,
		headers: Record<string, string> = { 'content-type': 'application/json' }
	) =>
		request.post('/ticket/demo/suggestions', {
			data: typeof data === 'string' ? data : JSON.stringify(data),
			headers
		});
	expect((await post({ slug: 'no-such-doc' })).status()).toBe(404);
	expect((await post({ slug: 'internal-triage-notes' })).status()).toBe(404);
	expect((await post('not json')).status()).toBe(404);
	expect(
		(
			await post('slug=unsubscribing', {
				'content-type': 'application/x-www-form-urlencoded',
				origin: 'https://evil.example'
			})
		).status()
	).toBe(403);
	expect((await post({ slug: 'unsubscribing' })).status()).toBe(204);
});
