import { inflateRawSync } from 'node:zlib';

/**
 * Reads a whole ZIP (no ZIP64, as yazl writes for small exports) into name → bytes, from its
 * central directory, so entries written with data descriptors read right. For tests.
 */
export function unzip(zip: Buffer): Map<string, Buffer> {
	let eocd = zip.length - 22;
	while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
	if (eocd < 0) throw new Error('not a ZIP: no end of central directory');
	const count = zip.readUInt16LE(eocd + 10);
	let at = zip.readUInt32LE(eocd + 16);
	const files = new Map<string, Buffer>();
	for (let i = 0; i < count; i++) {
		if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry');
		const method = zip.readUInt16LE(at + 10);
		const compressed = zip.readUInt32LE(at + 20);
		const nameLen = zip.readUInt16LE(at + 28);
		const extraLen = zip.readUInt16LE(at + 30);
		const commentLen = zip.readUInt16LE(at + 32);
		const local = zip.readUInt32LE(at + 42);
		const name = zip.subarray(at + 46, at + 46 + nameLen).toString('utf8');
		const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
		const raw = zip.subarray(dataAt, dataAt + compressed);
		files.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
		at += 46 + nameLen + extraLen + commentLen;
	}
	return files;
}
