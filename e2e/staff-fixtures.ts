import { expect, test, type Browser, type Page } from '@playwright/test';
import { launchServer, type TestServer } from './server';

/** A server of its own for the staff specs, with its first admin signed up through the setup link. */
export interface StaffServer {
	server: TestServer;
	admin: { email: string; password: string; name: string };
	/** A page signed in as the admin. */
	adminPage(browser: Browser): Promise<Page>;
}

export function setupUrlFrom(output: string, origin: string): string {
	const m = new RegExp(`${origin.replace(/[/.]/g, '\\$&')}/setup/[a-z2-7]{32}`).exec(output);
	if (!m) throw new Error(`no setup URL in the server output:\n${output}`);
	return m[0];
}

export async function fillAccount(
	page: Page,
	a: { email: string; name: string; password: string }
) {
	await page.getByLabel('Email').fill(a.email);
	await page.getByLabel('Name').fill(a.name);
	await page.getByLabel('Password').fill(a.password);
	await page.getByRole('button', { name: 'Create account' }).click();
}

export async function signIn(page: Page, origin: string, email: string, password: string) {
	await page.goto(`${origin}/app/login`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Starts a server (with extra settings, if any) and creates its admin via the printed setup link. */
export async function startStaffServer(
	browser: Browser,
	env: Record<string, string> = {}
): Promise<StaffServer> {
	const server = await launchServer(env);
	const admin = {
		email: 'admin@example.com',
		password: 'correct horse battery staple',
		name: 'Ada Admin'
	};
	const page = await (await browser.newContext()).newPage();
	await page.goto(setupUrlFrom(server.output(), server.origin));
	await fillAccount(page, admin);
	await expect(page).toHaveURL(`${server.origin}/app`);
	const state = await page.context().storageState();
	await page.close();
	return {
		server,
		admin,
		async adminPage(b) {
			const context = await b.newContext({ storageState: state });
			return context.newPage();
		}
	};
}

/**
 * Starts a staff server before the file's tests and stops it after them. The returned object
 * stands for that server once `beforeAll` has run.
 */
export function useStaffServer(env: Record<string, string> = {}): StaffServer {
	let s: StaffServer | undefined;
	test.beforeAll(async ({ browser }) => {
		s = await startStaffServer(browser, env);
	});
	test.afterAll(async () => {
		await s?.server.stop();
	});
	const started = () => {
		if (!s) throw new Error('the staff server is not started yet (use it inside a test)');
		return s;
	};
	return {
		get server() {
			return started().server;
		},
		get admin() {
			return started().admin;
		},
		adminPage: (browser) => started().adminPage(browser)
	};
}

/** A reporter opens a ticket on the demo project; returns their thread page URL. */
export async function reporterTicket(
	page: Page,
	origin: string,
	email: string,
	title: string
): Promise<string> {
	await page.goto(`${origin}/ticket/demo`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Description').fill('The export button does nothing.');
	await page.getByRole('button', { name: 'Submit ticket' }).click();
	await expect(page).toHaveURL(/\/ticket\/thread\//);
	return page.url();
}

/** Opens a ticket's staff view from the inbox by its title. */
export async function openTicket(page: Page, origin: string, title: string): Promise<void> {
	await page.goto(`${origin}/app?q=${encodeURIComponent(title)}`);
	await page.getByRole('link', { name: title }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

/** The admin invites an agent, who creates their account; returns the agent's signed-in page. */
export async function inviteAgent(s: StaffServer, browser: Browser, name: string) {
	const origin = s.server.origin;
	const admin = await s.adminPage(browser);
	await admin.goto(`${origin}/app/staff`);
	const email = `agent-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@example.com`;
	await admin.getByLabel('Email').fill(email);
	await admin.getByRole('button', { name: 'Create invitation link' }).click();
	const link = await admin.getByLabel('Invitation link').inputValue();
	await admin.context().close();
	const page = await (await browser.newContext()).newPage();
	await page.goto(link);
	const password = 'agent password 123';
	await fillAccount(page, { email, name, password });
	await expect(page).toHaveURL(`${origin}/app`);
	return { page, email, password, name };
}
