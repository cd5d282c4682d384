import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isForbiddenFormPost } from '$lib/server/http/csrf';
import { start, stop } from '$lib/server/app';
import { ConfigError, loadConfig } from '$lib/server/config';
import { POST } from '../../../routes/integrations/discord/interactions/+server';
import { signedHeaders, testKeys } from '$lib/server/test/discord/sign';

const keys = testKeys();
const other = testKeys();
const dirs: string[] = [];
afterAll(async () => {
	await stop();
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function boot(env: Record<string, string>) {
	await stop();
	const dir = mkdtempSync(join(tmpdir(), 'portal-discord-'));
	dirs.push(dir);
	await start(
		loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', ORIGIN: 'https://help.example.com', ...env }),
		{ seed: false, outbox: false }
	);
}

const URL_ = 'https://help.example.com/integrations/discord/interactions';

/** Calls the endpoint; Kit's `error()` throws, so its status is returned the same way. */
async function call(
	body: string,
	headers: Record<string, string>
): Promise<{ status: number; json?: unknown }> {
	try {
		const res = await POST({
			request: new Request(URL_, { method: 'POST', headers, body })
		} as unknown as Parameters<typeof POST>[0]);
		return {
			status: res.status,
			json: res.headers.get('content-type')?.includes('json') ? await res.json() : undefined
		};
	} catch (e) {
		const status = (e as { status?: number }).status;
		if (typeof status === 'number') return { status };
		throw e;
	}
}

const ping = JSON.stringify({ id: '1', type: 1, token: 't', application_id: '123456789012' });

describe('POST /integrations/discord/interactions', () => {
	it('answers 404 while the integration is not configured', async () => {
		await boot({});
		expect((await call(ping, signedHeaders(keys.privateKey, ping))).status).toBe(404);
	});

	it('answers a signed PING with PONG', async () => {
		await boot({ DISCORD_PUBLIC_KEY: keys.publicKeyHex });
		expect(await call(ping, signedHeaders(keys.privateKey, ping))).toEqual({
			status: 200,
			json: { type: 1 }
		});
	});

	it('refuses a tampered body, a wrong key, a stale or future timestamp and missing headers with 401', async () => {
		const headers = signedHeaders(keys.privateKey, ping);
		expect((await call(ping.replace('"t"', '"u"'), headers)).status).toBe(401);
		expect((await call(ping, signedHeaders(other.privateKey, ping))).status).toBe(401);
		const now = Math.floor(Date.now() / 1000);
		expect((await call(ping, signedHeaders(keys.privateKey, ping, now - 301))).status).toBe(401);
		expect((await call(ping, signedHeaders(keys.privateKey, ping, now + 301))).status).toBe(401);
		expect((await call(ping, { 'content-type': 'application/json' })).status).toBe(401);
		// Still inside the window: accepted.
		expect((await call(ping, signedHeaders(keys.privateKey, ping, now - 200))).status).toBe(200);
	});

	it('answers 400 to signed bodies of the wrong shape, never 500', async () => {
		const bad = [
			'null',
			'[]',
			'"ping"',
			'{}',
			'{"type":"1"}',
			'{"type":2,"guild_id":"123456789012","member":{"user":{"id":"123456789012"}},"data":{"name":"ticket","options":{"name":"type"}}}',
			'{"type":2,"guild_id":"123456789012","member":{"user":{"id":"123456789012"}},"data":{"name":"ticket","options":[null]}}',
			'{"type":5,"member":{"user":{"id":"123456789012"}},"data":{"custom_id":"ticket:aaaaaaaaaaaaaaaa:0","components":[null]}}',
			'{"type":5,"member":{"user":{"id":"123456789012"}},"data":{"custom_id":"ticket:aaaaaaaaaaaaaaaa:0","components":[{"components":[null]}]}}',
			'{"type":2,"member":null}',
			'{"type":2,"member":{"user":null}}',
			'{"type":2,"data":null}'
		];
		for (const body of bad) {
			expect((await call(body, signedHeaders(keys.privateKey, body))).status, body).toBe(400);
		}
		// Unknown extra fields are fine.
		const extra = JSON.stringify({ type: 1, id: '1', version: 1, entitlements: [], locale: 'en' });
		expect((await call(extra, signedHeaders(keys.privateKey, extra))).status).toBe(200);
	});

	it('is not a cross-site form post: the CSRF guard lets signed JSON through', async () => {
		const request = new Request(URL_, {
			method: 'POST',
			headers: { ...signedHeaders(keys.privateKey, ping), origin: 'https://discord.com' },
			body: ping
		});
		expect(await isForbiddenFormPost(request, new URL(URL_), 'https://help.example.com')).toBe(
			false
		);
	});

	it('reads its settings with defaults and refuses a malformed key in one line', () => {
		const c = loadConfig({ DISCORD_PUBLIC_KEY: keys.publicKeyHex.toUpperCase() }).discord;
		expect(c).toMatchObject({
			enabled: true,
			publicKey: keys.publicKeyHex,
			apiBase: 'https://discord.com/api/v10',
			botToken: null,
			formTtlSec: 1800
		});
		expect(c.createLimit).toEqual({ points: 5, durationSec: 3600 });
		expect(loadConfig({}).discord.enabled).toBe(false);
		expect(() => loadConfig({ DISCORD_PUBLIC_KEY: 'abc' })).toThrow(ConfigError);
		expect(() => loadConfig({ DISCORD_PUBLIC_KEY: 'abc' })).toThrow(
			/DISCORD_PUBLIC_KEY must be the 64 hex characters/
		);
	});
});
