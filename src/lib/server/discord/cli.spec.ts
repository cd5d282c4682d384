import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { commands } from '$lib/server/cli';
import { loadConfig } from '$lib/server/config';
import { openDatabase } from '$lib/server/db';
import { seedDemo } from '$lib/server/projects/seed';
import * as guilds from './guilds';
import { startFakeDiscord, type FakeDiscord } from '$lib/server/test/discord/fake-api';

const dir = mkdtempSync(join(tmpdir(), 'portal-discord-cli-'));
let fake: FakeDiscord;
const GUILD = '123456789012345678';
const env = () => ({
	DATA_DIR: dir,
	DISCORD_APPLICATION_ID: '987654321098765432',
	DISCORD_BOT_TOKEN: 'bot-token',
	DISCORD_API_BASE: fake.base
});

beforeAll(async () => {
	fake = await startFakeDiscord();
	const { db, close } = openDatabase(join(dir, 'portal.db'));
	await seedDemo(db);
	await close();
	vi.spyOn(console, 'log').mockImplementation(() => {});
	vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterAll(async () => {
	vi.restoreAllMocks();
	await fake.close();
	rmSync(dir, { recursive: true, force: true });
});

const discord = (args: string[], e: Record<string, string> = env()) =>
	commands.discord.run(args, loadConfig(e));

describe('npm run portal -- discord', () => {
	it('links a guild to a project, refusing unknown projects and non-ids', async () => {
		expect(await discord(['link', '--guild', GUILD, '--project', 'nope'])).toBe(1);
		expect(await discord(['link', '--guild', 'my-server', '--project', 'demo'])).toBe(2);
		expect(await discord(['link', '--guild', GUILD, '--project', 'demo'])).toBe(0);
		const { db, close } = openDatabase(join(dir, 'portal.db'));
		expect((await guilds.projectFor(db, GUILD))?.key).toBe('demo');
		await close();
	});

	it('register sends /ticket with the project’s types to each linked guild', async () => {
		expect(await discord(['register'])).toBe(0);
		const sent = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/commands'));
		expect(sent.map((r) => r.path)).toEqual([
			`/applications/987654321098765432/guilds/${GUILD}/commands`
		]);
		expect(sent[0].authorization).toBe('Bot bot-token');
		expect(sent[0].body).toMatchObject({ name: 'ticket', type: 1 });
		const choices = (sent[0].body.options as { choices: { value: string }[] }[])[0].choices.map(
			(c) => c.value
		);
		expect(choices).toEqual(['question', 'problem', 'feature', 'billing']);
		const { db, close } = openDatabase(join(dir, 'portal.db'));
		expect((await guilds.list(db))[0].registered_at).toBeGreaterThan(0);
		await close();
	});

	it('register reports a guild Discord refused and exits non-zero', async () => {
		fake.failNext(/\/commands$/, 1, 403);
		expect(await discord(['register'])).toBe(1);
	});

	it('register needs the application id and bot token', async () => {
		expect(await discord(['register'], { DATA_DIR: dir })).toBe(1);
	});
});
