import { open } from 'node:fs/promises';

/** An animation may hold this many times the single-image pixel limit across all its frames. */
export const GIF_FRAME_BUDGET = 4;

/**
 * The logical screen size a GIF's header claims (bytes 6–9, little endian), read without any
 * decoder: libnsgif sizes a GIF by its frames, so a header claiming 60000 × 60000 would otherwise
 * pass unnoticed. Null when the file is not a GIF.
 */
export async function gifScreen(path: string): Promise<{ width: number; height: number } | null> {
	const fh = await open(path, 'r');
	try {
		const head = Buffer.alloc(10);
		const { bytesRead } = await fh.read(head, 0, 10, 0);
		if (bytesRead < 10 || !/^GIF8[79]a$/.test(head.toString('latin1', 0, 6))) return null;
		return { width: head.readUInt16LE(6), height: head.readUInt16LE(8) };
	} finally {
		await fh.close();
	}
}
