// Prints the gzip weight of the JavaScript a page loads (its modulepreload links), e.g.
//   node scripts/js-weight.js http://localhost:3000/ticket/demo
import { gzipSync } from 'node:zlib';

const url = process.argv[2] ?? 'http://localhost:3000/ticket/demo';
const res = await fetch(url);
const links = (res.headers.get('link') ?? '').match(/<[^>]+\.js>/g) ?? [];
const html = await res.text();
const inline = [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('');
let total = gzipSync(inline).length;
for (const l of links) {
	const js = await (await fetch(new URL(l.slice(1, -1), url))).text();
	total += gzipSync(js).length;
}
console.log(`${url}: ${links.length} modules, ${(total / 1024).toFixed(1)} KB of JS (gzip)`);
