// Starts the built portal as a child process on loopback, on a data folder of the battery's
// choosing, and reads its memory from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Limits that would stop the battery's own traffic; checks that need one set it again. */
export const NO_LIMITS = {
	CREATE_LIMIT_PER_CLIENT: '0',
	CREATE_LIMIT_PER_EMAIL: '0',
	CREATE_LIMIT_GLOBAL: '0',
	REPLY_LIMIT_PER_TOKEN: '0',
	UPLOAD_TOKEN_DAILY_BYTES: '0',
	UPLOAD_TOKEN_PER_HOUR: '0',
	UPLOAD_CLIENT_DAILY_BYTES: '0',
	DOCS_SUGGEST_PER_MINUTE: '0',
	// The browser check (proof-of-work) after 3 tickets from one client would refuse the
	// parallel creates that check exact counts; it is tested in e2e/spam-pow.test.ts.
	SPAM_POW_AFTER: '0',
	// Small public limits keep the over-limit cases cheap for a shared machine; the staff maximum
	// (Kit's whole-body cap) keeps its default, as the unbounded-body cases need it.
	PUBLIC_UPLOAD_MAX_BYTES: String(2 * 1024 * 1024),
	PUBLIC_UPLOAD_MAX_FILE_BYTES: String(1024 * 1024)
};

/** A free TCP port on 127.0.0.1. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
		s.on('error', reject);
	});
}

/** VmRSS and VmHWM of a process in MB, or null once it is gone. */
export function memoryOf(pid) {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
		return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
	} catch {
		return null;
	}
}

/** Spawns `scripts/start.js` without waiting for it; output is collected. */
export function spawnPortal({ dataDir, port, env = {} }) {
	const origin = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['scripts/start.js'], {
		cwd: root,
		env: {
			...process.env,
			NODE_ENV: 'production',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			DATA_DIR: dataDir,
			LOG_LEVEL: 'warn',
			OUTBOX_POLL_MS: '200',
			...NO_LIMITS,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const exited = new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal }))
	);
	return { child, origin, port, dataDir, exited, output: () => output };
}

/** Starts the portal and waits until /healthz answers. */
export async function startPortal(options) {
	const p = spawnPortal(options);
	const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
	while (Date.now() < deadline) {
		if (p.child.exitCode !== null || p.child.signalCode !== null)
			throw new Error(`the portal exited while starting: ${p.output().slice(-2000)}`);
		try {
			const res = await fetch(`${p.origin}/healthz`, { signal: AbortSignal.timeout(2000) });
			if (res.ok) break;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	if (Date.now() >= deadline) {
		p.child.kill('SIGKILL');
		throw new Error(`the portal did not start: ${p.output().slice(-2000)}`);
	}
	return {
		...p,
		pid: p.child.pid,
		memory: () => memoryOf(p.child.pid),
		/** kill -9: no shutdown handler runs. */
		async kill9() {
			if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
			await p.exited;
		},
		async stop() {
			if (p.child.exitCode !== null || p.child.signalCode !== null) return;
			const timer = setTimeout(() => p.child.kill('SIGKILL'), 5000);
			p.child.kill('SIGTERM');
			await p.exited;
			clearTimeout(timer);
		}
	};
}

/** Samples a process's memory every `ms` until stopped; returns the peaks seen. */
export function sampleMemory(pid, ms = 100) {
	let peakRss = 0;
	let hwm = 0;
	const take = () => {
		const m = memoryOf(pid);
		if (m) {
			peakRss = Math.max(peakRss, m.rss);
			hwm = Math.max(hwm, m.hwm);
		}
	};
	take();
	const timer = setInterval(take, ms);
	return {
		stop() {
			clearInterval(timer);
			take();
			return { peakRss, hwm };
		}
	};
}
