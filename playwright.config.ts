import { defineConfig } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One built server for the suite, on its own port and fresh data folder. Tests that need their
// own server (restarts, other limits) start one with e2e/fixtures/server.ts.
const port = Number(process.env.E2E_PORT ?? 4173);
process.env.E2E_PORT = String(port);
process.env.E2E_ORIGIN = `http://localhost:${port}`;
process.env.E2E_DATA_DIR ??= join(tmpdir(), `portal-e2e-${port}`);

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export default defineConfig({
	testDir: 'e2e',
	testMatch: '**/*.test.ts',
	fullyParallel: false,
	workers: 2,
	retries: 0,
	// Budgets that hold on a busy 2-core machine (a CPU hog on one core, other suites beside):
	// a password hash plus a navigation can take several seconds there.
	timeout: 60_000,
	expect: { timeout: 15_000 },
	reporter: [['list']],
	use: {
		baseURL: process.env.E2E_ORIGIN,
		trace: 'off',
		launchOptions: {
			executablePath: chromiumPath,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	webServer: {
		command: 'node scripts/e2e-server.js',
		url: `${process.env.E2E_ORIGIN}/healthz`,
		reuseExistingServer: false,
		timeout: 180_000,
		stdout: 'ignore',
		stderr: 'pipe',
		env: {
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: process.env.E2E_ORIGIN,
			DATA_DIR: process.env.E2E_DATA_DIR,
			LOG_LEVEL: 'warn',
			OUTBOX_POLL_MS: '200',
			// The whole suite creates many tickets from one address; the creation limits are
			// tested on servers of their own (e2e/create-limits.test.ts).
			CREATE_LIMIT_PER_CLIENT: '0',
			CREATE_LIMIT_PER_EMAIL: '0',
			CREATE_LIMIT_GLOBAL: '0',
			// Same for the browser check (proof-of-work), tested in e2e/spam-pow.test.ts.
			SPAM_POW_AFTER: '0'
		}
	}
});
