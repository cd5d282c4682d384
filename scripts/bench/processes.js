// Servers the benchmark starts: the built portal, the baseline SvelteKit app and a bare
// node:http hello. Each runs in its own process so its memory and CPU are its own.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export const freePort = () =>
	new Promise((resolve) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});

async function waitFor(url, child, seconds = 60) {
	for (let i = 0; i < seconds * 10; i++) {
		if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode})`);
		try {
			const res = await fetch(url);
			await res.arrayBuffer();
			if (res.status < 500) return;
		} catch {
			/* still starting */
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`${url} did not answer within ${seconds} s`);
}

/** Starts `node <script>` with env on a free port; resolves once `ready` answers. */
export async function startServer(name, script, env, ready = '/', args = []) {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [...args, script], {
		cwd: root,
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, ...env },
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let stderr = '';
	child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
	try {
		await waitFor(origin + ready, child);
	} catch (err) {
		child.kill('SIGKILL');
		throw new Error(`${name}: ${err.message}\n${stderr}`, { cause: err });
	}
	return {
		name,
		origin,
		pid: child.pid,
		child,
		stop: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', resolve);
				child.kill('SIGTERM');
				setTimeout(() => child.kill('SIGKILL'), 5000).unref();
			})
	};
}

/** Resident set size of a process in MB (`field` VmRSS now, or VmHWM: the peak so far). */
export function rssMb(pid, field = 'VmRSS') {
	const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
	return m ? Number(m[1]) / 1024 : NaN;
}

/** Samples RSS every 20 ms while `work` runs; returns the highest value seen (MB). */
export async function peakRss(pid, work) {
	let peak = rssMb(pid);
	const timer = setInterval(() => {
		try {
			peak = Math.max(peak, rssMb(pid));
		} catch {
			/* exited */
		}
	}, 20);
	try {
		await work();
	} finally {
		clearInterval(timer);
	}
	return Math.max(peak, rssMb(pid));
}

function newest(path) {
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	let max = s.mtimeMs;
	for (const e of readdirSync(path))
		if (e !== '.svelte-kit') max = Math.max(max, newest(join(path, e)));
	return max;
}

/** Builds bench/baseline once per Kit version into the temp folder; returns its index.js. */
export function buildBaseline() {
	const kit = JSON.parse(
		readFileSync(join(root, 'node_modules/@sveltejs/kit/package.json'), 'utf8')
	).version;
	const dir = join(root, 'bench/baseline');
	const out = join(tmpdir(), `ticket-portal-bench-baseline-kit-${kit}`);
	const index = join(out, 'build/index.js');
	if (existsSync(index) && statSync(index).mtimeMs > newest(dir)) return { index, kit };
	console.log(`Building the baseline SvelteKit ${kit} app (once) into ${out}…`);
	const r = spawnSync(
		process.execPath,
		[join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
		{
			cwd: dir,
			env: { ...process.env, BENCH_BASELINE_OUT: out },
			encoding: 'utf8'
		}
	);
	if (r.status !== 0) throw new Error(`baseline build failed:\n${r.stdout}${r.stderr}`);
	return { index, kit };
}
