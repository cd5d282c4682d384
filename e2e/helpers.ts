import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const dataDir = () => process.env.E2E_DATA_DIR!;
export const origin = () => process.env.E2E_ORIGIN!;

/** A unique address per test, so tests never read each other's mail. */
export function uniqueEmail(label = 'reporter'): string {
	return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export interface Mail extends ParsedMail {
	file: string;
	toAddress: string;
}

/** Every .eml the server wrote to DATA_DIR/mail, oldest first, parsed. */
export async function readMails(dir = dataDir()): Promise<Mail[]> {
	const mailDir = join(dir, 'mail');
	if (!existsSync(mailDir)) return [];
	const files = readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort();
	return Promise.all(
		files.map(async (f) => {
			const parsed = await simpleParser(readFileSync(join(mailDir, f)));
			const to = parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address ?? '' : '';
			return Object.assign(parsed, { file: f, toAddress: to.toLowerCase() });
		})
	);
}

/** Waits until `count` mails to `address` exist and returns them (oldest first). */
export async function mailsTo(address: string, count = 1, dir = dataDir()): Promise<Mail[]> {
	let found: Mail[] = [];
	await expect
		.poll(
			async () => {
				found = (await readMails(dir)).filter((m) => m.toAddress === address.toLowerCase());
				return found.length;
			},
			{ timeout: 10_000, message: `waiting for ${count} mail(s) to ${address}` }
		)
		.toBeGreaterThanOrEqual(count);
	return found;
}

/** The first link in a mail's text part whose path starts with `prefix`. */
export function linkIn(mail: ParsedMail, prefix: string): string {
	const re = new RegExp(`https?://[^\\s>]+${prefix.replace(/[/.]/g, '\\$&')}[^\\s>]*`);
	const m = re.exec(mail.text ?? '');
	if (!m) throw new Error(`no ${prefix} link in mail "${mail.subject}"`);
	return m[0];
}

/**
 * What one accessibility check (four axe passes) may add to its test's time. A pass takes ~1 s
 * on an idle machine and 5–10 s on a busy 2-core one; the budget is granted per check, so a
 * test with several checks gets room for each instead of one suite-wide guess.
 */
export const AXE_BUDGET_MS = 60_000;

/**
 * Runs axe on the current page in light and dark scheme at 390 and 1280 px wide and fails on
 * any serious or critical violation. Extends the running test's timeout by `AXE_BUDGET_MS`.
 */
export async function expectAccessible(page: Page): Promise<void> {
	test.info().setTimeout(test.info().timeout + AXE_BUDGET_MS);
	const original = page.viewportSize();
	for (const colorScheme of ['light', 'dark'] as const) {
		for (const width of [390, 1280]) {
			await page.emulateMedia({ colorScheme });
			await page.setViewportSize({ width, height: 900 });
			const results = await new AxeBuilder({ page }).analyze();
			const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
			expect(
				bad.map((v) => `${v.id} (${colorScheme}, ${width}px): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
				'serious/critical axe violations'
			).toEqual([]);
		}
	}
	await page.emulateMedia({ colorScheme: null });
	if (original) await page.setViewportSize(original);
}
