// `npm run portal -- <command>`: the operations CLI. It runs the app's own TypeScript modules
// through Vite's SSR loader, so it needs no separate build.
import { createServer } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const vite = await createServer({
	root,
	configFile: false,
	logLevel: 'error',
	appType: 'custom',
	resolve: { alias: { $lib: `${root}src/lib` } },
	server: { middlewareMode: true, hmr: false, ws: false, watch: null },
	optimizeDeps: { noDiscovery: true, include: [] }
});
let code;
try {
	const cli = await vite.ssrLoadModule('/src/lib/server/cli/index.ts');
	code = await cli.main(process.argv.slice(2));
} catch (err) {
	// Expected failures (bad config, missing file, …) are one line; LOG_LEVEL=debug shows the stack.
	console.error(process.env.LOG_LEVEL === 'debug' ? err : `Error: ${err?.message ?? err}`);
	code = 1;
} finally {
	await vite.close();
}
process.exit(code);
