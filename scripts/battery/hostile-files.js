// Hostile files for the upload fields: wrong types, polyglots, bombs, traversal and odd names.
import { bombs, samples } from './images.js';

const MB = 1024 * 1024;
const enc = (s) => Buffer.from(s);

/** Hostile files: { label, name, type, data, refuse } (refuse = must not be stored). */
export async function hostileFiles() {
	const img = await samples();
	const html = '<!doctype html><html><body><script>alert(document.domain)</script></body></html>';
	const files = [
		{ label: 'html named .png', name: 'x.png', type: 'image/png', data: enc(html), refuse: true },
		{
			label: 'svg with script',
			name: 'x.svg',
			type: 'image/svg+xml',
			data: enc('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
			refuse: true
		},
		{
			label: 'windows exe named .pdf',
			name: 'x.pdf',
			type: 'application/pdf',
			data: Buffer.concat([enc('MZ'), Buffer.alloc(510, 0x90)]),
			refuse: true
		},
		{
			label: 'elf binary',
			name: 'x.txt',
			type: 'text/plain',
			data: Buffer.concat([
				Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
				Buffer.alloc(120, 0)
			]),
			refuse: true
		},
		{
			label: 'html with bom and leading blanks',
			name: 'x.txt',
			type: 'text/plain',
			data: enc('\ufeff  \n' + html),
			refuse: true
		},
		{
			label: 'xhtml',
			name: 'x.xhtml',
			type: 'application/xhtml+xml',
			data: enc(
				'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>'
			),
			refuse: true
		},
		{
			label: 'php in .jpg (text)',
			name: 'shell.php.jpg',
			type: 'image/jpeg',
			data: enc('<?php system($_GET["c"]); ?>')
		},
		{
			label: 'png + html tail named .html',
			name: 'poly.html',
			type: 'text/html',
			data: Buffer.concat([img.png, enc(html)])
		},
		{
			label: 'gif + html tail named .htm',
			name: 'poly.htm',
			type: 'text/html',
			data: Buffer.concat([img.gif, enc(html)])
		},
		{
			label: 'jpeg + html tail named .svg',
			name: 'poly.svg',
			type: 'image/svg+xml',
			data: Buffer.concat([img.jpeg, enc(html)])
		},
		{
			label: 'webp named .exe',
			name: 'poly.exe',
			type: 'application/x-msdownload',
			data: img.webp
		},
		{
			label: 'text named .html',
			name: 'notes.html',
			type: 'text/html',
			data: enc('just words, no markup\n')
		},
		{
			label: 'text named .exe',
			name: 'run.exe',
			type: 'application/octet-stream',
			data: enc('just words\n')
		},
		{ label: 'truncated png', name: 'cut.png', type: 'image/png', data: img.png.subarray(0, 40) },
		{
			label: 'png with garbage after IHDR',
			name: 'junk.png',
			type: 'image/png',
			data: Buffer.concat([img.png.subarray(0, 33), Buffer.alloc(200, 0xff)])
		},
		{
			label: 'traversal ../../',
			name: '../../../../etc/passwd',
			type: 'text/plain',
			data: enc('root:x:0:0\n')
		},
		{
			label: 'traversal ..\\',
			name: '..\\..\\..\\windows\\win.ini',
			type: 'text/plain',
			data: enc('[x]\n')
		},
		{ label: 'absolute name', name: '/etc/shadow', type: 'text/plain', data: enc('x\n') },
		{
			label: 'encoded traversal',
			name: '%2e%2e%2f%2e%2e%2fsecret.key',
			type: 'text/plain',
			data: enc('x\n')
		},
		{ label: 'name with NUL', name: 'a\u0000.txt', type: 'text/plain', data: enc('x\n') },
		{
			label: 'RTL override name',
			name: 'invoice\u202etxt.exe',
			type: 'text/plain',
			data: enc('x\n')
		},
		{
			label: '1000-char name',
			name: 'n'.repeat(1000) + '.txt',
			type: 'text/plain',
			data: enc('x\n')
		},
		{ label: 'name of dots', name: '..', type: 'text/plain', data: enc('x\n') },
		{ label: 'empty name', name: '', type: 'text/plain', data: enc('x\n') },
		{
			label: '0-byte file',
			name: 'empty.txt',
			type: 'text/plain',
			data: Buffer.alloc(0),
			empty: true
		},
		{
			label: 'over per-file limit',
			name: 'big.txt',
			type: 'text/plain',
			data: Buffer.alloc(MB + 1, 0x61),
			refuse: true
		}
	];
	for (const b of await bombs())
		files.push({ ...b, label: `bomb: ${b.label}`, type: 'application/octet-stream', refuse: true });
	return files;
}
