import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { expectAccessible } from './fixtures/helpers';
import {
	modalSubmit,
	signedHeaders,
	startFakeDiscord,
	testKeys,
	ticketCommand,
	type FakeDiscord
} from './fixtures/peers';
import { launchServer, type TestServer } from './fixtures/server';
import { fillAccount, setupUrlFrom } from './fixtures/staff';

// A portal with the Discord integration on, talking to a local fake of Discord's REST API; the
// test plays Discord by sending signed interactions to the endpoint.
const keys = testKeys();
const GUILD = '424242424242424242';
let fake: FakeDiscord;
let server: TestServer;

test.beforeAll(async () => {
	fake = await startFakeDiscord();
	server = await launchServer({
		DISCORD_PUBLIC_KEY: keys.publicKeyHex,
		DISCORD_APPLICATION_ID: '111111111111111111',
		DISCORD_BOT_TOKEN: 'e2e-bot-token',
		DISCORD_API_BASE: fake.base
	});
	// The operator's CLI links the server to the demo project (same data folder, server running).
	execFileSync(
		process.execPath,
		['scripts/portal.js', 'discord', 'link', '--guild', GUILD, '--project', 'demo'],
		{
			env: { ...process.env, DATA_DIR: server.dataDir, LOG_LEVEL: 'warn' },
			stdio: 'pipe'
		}
	);
});
test.afterAll(async () => {
	await server?.stop();
	await fake?.close();
});

async function interact(body: unknown) {
	const text = JSON.stringify(body);
	const res = await fetch(`${server.origin}/integrations/discord/interactions`, {
		method: 'POST',
		headers: signedHeaders(keys.privateKey, text),
		body: text
	});
	expect(res.status).toBe(200);
	return (await res.json()) as {
		type: number;
		data: { custom_id: string; content: string; flags: number };
	};
}

test('the link from the ephemeral reply opens the thread as the Discord user, with no name input', async ({
	page
}) => {
	const title = `Bot ignores me ${Date.now()}`;
	const form = await interact(ticketCommand(GUILD));
	expect(form.type).toBe(9);
	const reply = await interact(
		modalSubmit(GUILD, form.data.custom_id, { title, description: 'It does not answer /help.' })
	);
	expect(reply.data.flags & 64).toBe(64);
	const link = new RegExp(`${server.origin}/ticket/thread/\\S+`).exec(reply.data.content)?.[0];
	expect(link, reply.data.content).toBeDefined();

	const res = await page.goto(link!);
	await expect(page.getByRole('heading', { name: title })).toBeVisible();
	await expect(page.getByText('Opened by Ferris the Crab')).toBeVisible();
	await expect(page.getByLabel('Replying as')).toHaveValue('Ferris the Crab');
	await expect(page.getByLabel(/name/i).and(page.locator('input:not([readonly])'))).toHaveCount(0);
	expect(await res!.text()).not.toContain('discord.invalid');

	// The confirmation also arrives as a DM with the same link, never as a mail.
	await expect
		.poll(() => fake.messages().filter((m) => m.content.includes(title)).length, {
			timeout: 10_000
		})
		.toBe(1);
	expect(fake.messages().find((m) => m.content.includes(title))!.content).toContain(link!);
});

test('a request that is not signed by the application key is refused', async () => {
	const text = JSON.stringify({ type: 1 });
	const forged = testKeys();
	const res = await fetch(`${server.origin}/integrations/discord/interactions`, {
		method: 'POST',
		headers: signedHeaders(forged.privateKey, text),
		body: text
	});
	expect(res.status).toBe(401);
	const ok = await fetch(`${server.origin}/integrations/discord/interactions`, {
		method: 'POST',
		headers: signedHeaders(keys.privateKey, text),
		body: text
	});
	expect(await ok.json()).toEqual({ type: 1 });
});

test('an admin links a Discord server in the project settings, and its /ticket then opens the form', async ({
	page
}) => {
	const guild = '515151515151515151';
	const before = await interact(ticketCommand(guild));
	expect(before.data.content).toContain('not linked');

	await page.goto(setupUrlFrom(server.output(), server.origin));
	await fillAccount(page, {
		email: 'admin@example.com',
		name: 'Ada Admin',
		password: 'correct horse battery staple'
	});
	await expect(page).toHaveURL(`${server.origin}/app`);
	await page.goto(`${server.origin}/app/projects/demo`);
	const section = page.getByRole('region', { name: 'Discord servers' });
	// The CLI's link from beforeAll is listed.
	await expect(section.getByText(GUILD, { exact: true })).toBeVisible();

	await section.getByLabel('Discord server ID').fill('my server');
	await section.getByRole('button', { name: 'Link server' }).click();
	await expect(section.getByText('Enter the server ID')).toBeVisible();
	await section.getByLabel('Discord server ID').fill(guild);
	await section.getByRole('button', { name: 'Link server' }).click();
	await expect(section.getByText(`Discord server ${guild} linked.`)).toBeVisible();
	await expect(section.getByRole('button', { name: `Unlink ${guild}` })).toBeVisible();
	await expectAccessible(page);

	expect((await interact(ticketCommand(guild))).type).toBe(9);
	await section.getByRole('button', { name: `Unlink ${guild}` }).click();
	await expect(section.getByRole('button', { name: `Unlink ${guild}` })).toHaveCount(0);
	expect((await interact(ticketCommand(guild))).data.content).toContain('not linked');
});
