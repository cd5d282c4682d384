// Hostile images: decompression bombs made with sharp and headers crafted by hand that claim
// huge dimensions, for every image type the upload allowlist accepts (PNG, JPEG, WebP, GIF, AVIF).
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

const crcTable = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
}

/** A valid-looking PNG whose header claims w×h, with a tiny IDAT. */
export function pngClaiming(w, h, full = false) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 0; // greyscale
	const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	// full = every row's bytes really present (a true bomb), else a tiny IDAT behind a big claim.
	const idat = deflateSync(Buffer.alloc(full ? (w + 1) * h : Math.min(w + 1, 4096)), { level: 9 });
	return Buffer.concat([
		sig,
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', idat),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}

/** A GIF of `frames` frames of w×h each; every frame is a clear code and end (tiny file). */
export function gifClaiming(w, h, frames = 1) {
	const parts = [Buffer.from('GIF89a', 'latin1')];
	const lsd = Buffer.alloc(7);
	lsd.writeUInt16LE(w, 0);
	lsd.writeUInt16LE(h, 2);
	lsd[4] = 0x80; // global colour table of 2 entries
	parts.push(lsd, Buffer.from([0, 0, 0, 255, 255, 255]));
	if (frames > 1) parts.push(Buffer.from('21ff0b4e45545343415045322e300301000000', 'hex')); // loop forever
	for (let i = 0; i < frames; i++) {
		parts.push(Buffer.from([0x21, 0xf9, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00])); // 10 ms delay
		const desc = Buffer.alloc(10);
		desc[0] = 0x2c;
		desc.writeUInt16LE(w, 5);
		desc.writeUInt16LE(h, 7);
		parts.push(desc, Buffer.from([0x02, 0x01, 0x2c, 0x00])); // LZW: clear, end
	}
	parts.push(Buffer.from([0x3b]));
	return Buffer.concat(parts);
}

/** A baseline JPEG header (SOF0) claiming w×h, then an almost empty scan. */
export function jpegClaiming(w, h) {
	const sof = Buffer.from([
		0xff,
		0xc0,
		0x00,
		0x0b,
		0x08,
		h >> 8,
		h & 0xff,
		w >> 8,
		w & 0xff,
		0x01,
		0x01,
		0x11,
		0x00
	]);
	const dqt = Buffer.concat([Buffer.from([0xff, 0xdb, 0x00, 0x43, 0x00]), Buffer.alloc(64, 1)]);
	// A DC/AC Huffman table pair with one code each, enough for a decoder to start scanning.
	const dht = Buffer.from([
		0xff,
		0xc4,
		0x00,
		0x14,
		0x00,
		1,
		...Array(15).fill(0),
		0x00,
		0xff,
		0xc4,
		0x00,
		0x14,
		0x10,
		1,
		...Array(15).fill(0),
		0x00
	]);
	const sos = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]);
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		dqt,
		sof,
		dht,
		sos,
		Buffer.alloc(256, 0),
		Buffer.from([0xff, 0xd9])
	]);
}

/** A real small AVIF whose `ispe` box is patched to claim w×h. */
export async function avifClaiming(w, h) {
	const buf = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } })
		.avif({ effort: 0 })
		.toBuffer();
	const at = buf.indexOf(Buffer.from('ispe', 'latin1'));
	if (at > 0) {
		buf.writeUInt32BE(w, at + 8);
		buf.writeUInt32BE(h, at + 12);
	}
	return buf;
}

/** Real decompression bombs: highly compressible images over the pixel limit (8000×8000 = 64 MP). */
export async function realBombs() {
	const blank = () =>
		sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#fff' } });
	return [
		{
			label: 'png bomb 8000x8000 (full data)',
			name: 'bomb.png',
			data: pngClaiming(8000, 8000, true)
		},
		{
			label: 'webp bomb 8000x8000 (sharp)',
			name: 'bomb.webp',
			data: await blank().webp({ lossless: true, effort: 0 }).toBuffer()
		}
	];
}

/** Every bomb with its label; each must be refused (it is over UPLOAD_IMAGE_MAX_PIXELS). */
export async function bombs() {
	return [
		{ label: 'png claims 60000x60000', name: 'claim.png', data: pngClaiming(60000, 60000) },
		{ label: 'jpeg claims 65000x65000', name: 'claim.jpg', data: jpegClaiming(65000, 65000) },
		{ label: 'gif claims 60000x60000', name: 'claim.gif', data: gifClaiming(60000, 60000) },
		{
			label: 'gif 400 frames of 4000x4000',
			name: 'frames.gif',
			data: gifClaiming(4000, 4000, 400)
		},
		{
			label: 'avif claims 60000x60000',
			name: 'claim.avif',
			data: await avifClaiming(60000, 60000)
		},
		...(await realBombs())
	];
}

/** A small real image of each type, for polyglots. */
export async function samples() {
	const img = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } });
	return {
		png: await img().png().toBuffer(),
		jpeg: await img().jpeg().toBuffer(),
		gif: await img().gif().toBuffer(),
		webp: await img().webp().toBuffer()
	};
}
