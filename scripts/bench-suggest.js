// `npm run bench:suggest`: knowledge-suggestion latency with 1,000 docs.
// 1. Generates 1,000 public docs (the demo articles + 993 synthetic ones) into a temp DOCS_DIR.
// 2. Domain: calls docs.search() directly on a fresh database (no HTTP), 2,000 queries.
// 3. Endpoint: starts the built server (`build/`, made by `npm run build`) on that DOCS_DIR and
//    asks GET /ticket/demo/suggestions?q=… 1,000 times, one at a time, over HTTP on loopback.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const DOCS = 1000;
const WORDS =
	`account invoice payment refund export import report dashboard login password reset email
notification browser firefox chrome safari mobile android iphone upload download attachment file image
screenshot error timeout crash slow sync backup restore project ticket status reply message link token
unsubscribe language timezone calendar schedule reminder printer scanner network proxy firewall vpn
certificate domain dns mailbox spam filter label folder archive search index permission role admin agent
team member invite license plan upgrade downgrade billing card receipt tax address shipping order
delivery tracking return warranty device driver update version release install setup configure api
webhook integration slack discord github token rate limit quota storage disk memory cpu database query`
		.split(/\s+/)
		.filter(Boolean);

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (list) => list[Math.floor(rand() * list.length)];
const words = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');

function generate(dir) {
	cpSync(join(root, 'content/docs/demo'), join(dir, 'demo'), { recursive: true });
	let n = 7; // public demo articles
	for (let i = 0; n < DOCS; i++, n++) {
		const title = words(3 + Math.floor(rand() * 3));
		const paragraphs = Array.from({ length: 4 + Math.floor(rand() * 5) }, () =>
			words(30 + Math.floor(rand() * 40))
		);
		const body = paragraphs.map((p, j) => (j % 2 ? `## ${words(3)}\n\n${p}` : p)).join('\n\n');
		const fm = `---\ntitle: ${title}\nsummary: ${words(14)}\ntopic: Topic ${i % 12}\norder: ${i}\npublic: true\n---\n`;
		writeFileSync(join(dir, 'demo', `generated-${i}.md`), fm + body + '\n');
	}
	return n;
}

const queries = (count) =>
	Array.from({ length: count }, () => {
		const q = words(1 + Math.floor(rand() * 4));
		// Half of them end in a word still being typed: prefix matching.
		return rand() < 0.5 ? q.slice(0, Math.max(3, q.length - 2)) : q;
	});

function stats(ms) {
	const s = [...ms].sort((a, b) => a - b);
	const at = (p) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
	return `p50 ${at(50).toFixed(2)} ms · p90 ${at(90).toFixed(2)} ms · p99 ${at(99).toFixed(2)} ms · max ${s.at(-1).toFixed(2)} ms (n=${s.length})`;
}

async function domain(docsDir) {
	const vite = await createServer({
		root,
		configFile: false,
		logLevel: 'error',
		appType: 'custom',
		resolve: { alias: { $lib: `${root}src/lib` } },
		server: { middlewareMode: true, hmr: false, ws: false, watch: null },
		optimizeDeps: { noDiscovery: true, include: [] }
	});
	try {
		const { openDatabase } = await vite.ssrLoadModule('/src/lib/server/db/index.ts');
		const docs = await vite.ssrLoadModule('/src/lib/server/docs/index.ts');
		const dataDir = mkdtempSync(join(tmpdir(), 'bench-suggest-db-'));
		const { db, close } = openDatabase(join(dataDir, 'portal.db'));
		let t = performance.now();
		const indexed = await docs.reindex(db, docsDir);
		console.log(`reindex: ${indexed.docs} docs in ${(performance.now() - t).toFixed(0)} ms`);
		for (const q of queries(200)) await docs.search(db, 'demo', q); // warm up
		const times = [];
		let found = 0;
		for (const q of queries(2000)) {
			t = performance.now();
			found += (await docs.search(db, 'demo', q)).length;
			times.push(performance.now() - t);
		}
		console.log(
			`domain  docs.search() direct, no HTTP: ${stats(times)}; ${(found / 2000).toFixed(1)} results/query`
		);
		await close();
		rmSync(dataDir, { recursive: true, force: true });
	} finally {
		await vite.close();
	}
}

const freePort = () =>
	new Promise((resolve) => {
		const s = createNetServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});

async function endpoint(docsDir) {
	if (!existsSync(join(root, 'build/handler.js'))) {
		console.log('endpoint: skipped (no build/ — run `npm run build` first)');
		return;
	}
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const dataDir = mkdtempSync(join(tmpdir(), 'bench-suggest-server-'));
	const child = spawn(process.execPath, [join(root, 'build/index.js')], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			DATA_DIR: dataDir,
			DOCS_DIR: docsDir,
			LOG_LEVEL: 'silent',
			DOCS_SUGGEST_PER_MINUTE: '0'
		},
		stdio: 'ignore'
	});
	try {
		for (let i = 0; i < 300; i++) {
			try {
				if ((await fetch(`${origin}/healthz`)).ok) break;
			} catch {
				/* starting */
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		const ask = (q) =>
			fetch(`${origin}/ticket/demo/suggestions?q=${encodeURIComponent(q)}`).then((r) => r.json());
		for (const q of queries(200)) await ask(q); // warm up
		const times = [];
		for (const q of queries(1000)) {
			const t = performance.now();
			await ask(q);
			times.push(performance.now() - t);
		}
		console.log(
			`endpoint GET /ticket/demo/suggestions over HTTP (built server, sequential): ${stats(times)}`
		);
	} finally {
		child.kill('SIGTERM');
		rmSync(dataDir, { recursive: true, force: true });
	}
}

const docsDir = mkdtempSync(join(tmpdir(), 'bench-suggest-docs-'));
try {
	console.log(`Generated ${generate(docsDir)} public docs in ${docsDir}`);
	await domain(docsDir);
	await endpoint(docsDir);
} finally {
	rmSync(docsDir, { recursive: true, force: true });
}
