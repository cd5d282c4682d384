// Child process of the benchmark: times the thumbnail + display copy of one JPEG, either with the
// portal's own code (its sharp settings included, loaded through Vite's SSR loader like the CLI)
// or with a bare `sharp` resize of the same file. Prints the median in ms as JSON.
import { fileURLToPath } from 'node:url';

const [mode, file, times = '5'] = process.argv.slice(2);
const root = fileURLToPath(new URL('../..', import.meta.url));
let make;
let vite;
if (mode === 'portal') {
	const { createServer } = await import('vite');
	vite = await createServer({
		root,
		configFile: false,
		logLevel: 'error',
		appType: 'custom',
		resolve: { alias: { $lib: `${root}src/lib` } },
		server: { middlewareMode: true, hmr: false, ws: false, watch: null },
		optimizeDeps: { noDiscovery: true, include: [] }
	});
	const { renditions } = await vite.ssrLoadModule('/src/lib/server/attachments/images.ts');
	make = () => renditions(file, 50_000_000);
} else {
	const { default: sharp } = await import('sharp');
	const resize = (size, quality) =>
		sharp(file)
			.rotate()
			.resize({ width: size, height: size, fit: 'inside' })
			.webp({ quality })
			.toBuffer();
	make = async () => [await resize(2048, 82), await resize(320, 75)];
}
await make(); // warm up
const ms = [];
for (let i = 0; i < Number(times); i++) {
	const t = performance.now();
	await make();
	ms.push(performance.now() - t);
}
ms.sort((a, b) => a - b);
console.log(JSON.stringify({ ms: ms[Math.floor(ms.length / 2)] }));
await vite?.close();
