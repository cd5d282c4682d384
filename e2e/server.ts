import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		});
		s.on('error', reject);
	});
}

export interface TestServer {
	origin: string;
	dataDir: string;
	port: number;
	/** Everything the server printed since its last (re)start. */
	output(): string;
	/** Stops and starts the same server (same port, data and env). */
	restart(): Promise<void>;
	stop(): Promise<void>;
	/** Sends a signal to the server process (e.g. SIGTERM to watch it drain). */
	signal(name: NodeJS.Signals): void;
}

/**
 * Starts an extra instance of the built portal with its own data folder and settings — for
 * tests that restart the server or need other limits than the shared one.
 */
export async function launchServer(env: Record<string, string> = {}): Promise<TestServer> {
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'portal-e2e-extra-'));
	let child: ChildProcess | null = null;
	let output = '';

	async function up() {
		output = '';
		child = spawn(process.execPath, ['scripts/start.js'], {
			env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, DATA_DIR: dataDir, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '200', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout?.on('data', (d) => (output += d));
		child.stderr?.on('data', (d) => (output += d));
		const deadline = Date.now() + 30_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
			try {
				if ((await fetch(`${origin}/healthz`)).ok) return;
			} catch {
				/* not up yet */
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error(`server did not start: ${output}`);
	}

	async function down() {
		const c = child;
		if (!c || c.exitCode !== null) return;
		await new Promise<void>((resolve) => {
			c.once('exit', () => resolve());
			c.kill('SIGTERM');
			setTimeout(() => c.kill('SIGKILL'), 5000).unref();
		});
	}

	await up();
	return {
		origin,
		dataDir,
		port,
		output: () => output,
		async restart() {
			await down();
			await up();
		},
		stop: down,
		signal: (name) => void child?.kill(name)
	};
}
