import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { start, stop } from '$lib/server/app';
import { loadConfig } from '$lib/server/config';

const dir = mkdtempSync(join(tmpdir(), 'portal-inbound-app-'));
afterAll(async () => {
	await stop();
	rmSync(dir, { recursive: true, force: true });
});

const freePort = () =>
	new Promise<number>((resolve) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address() as { port: number };
			s.close(() => resolve(port));
		});
	});

/** The first line the listener says to a new connection, or null when nobody listens. */
const greeting = (port: number) =>
	new Promise<string | null>((resolve) => {
		const c = connect(port, '127.0.0.1');
		c.once('data', (d) => (c.end(), resolve(d.toString().split('\r\n')[0])));
		c.once('error', () => resolve(null));
	});

describe('the app runs the inbound listener', () => {
	it('starts it in serve() (not before), greets as LMTP when asked, and stops it in stop()', async () => {
		const port = await freePort();
		const app = await start(
			loadConfig({
				DATA_DIR: dir,
				LOG_LEVEL: 'silent',
				INBOUND_DOMAIN: 'support.example.com',
				INBOUND_SMTP_PORT: String(port),
				INBOUND_SMTP_LMTP: 'true'
			}),
			{ seed: false, outbox: false }
		);
		expect(await greeting(port)).toBeNull();
		app.serve();
		expect(await app.inboundReady()).toBe(port);
		expect(await greeting(port)).toMatch(/^220 support\.example\.com LMTP/);
		await stop();
		expect(await greeting(port)).toBeNull();
	});
});
