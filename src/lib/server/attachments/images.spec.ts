import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWED_TYPES } from './detect';
import { renditions } from './images';
import { stage } from './stage';
import { localStorage } from './storage';

const dir = mkdtempSync(join(tmpdir(), 'att-images-'));
const MAX_PIXELS = 50_000_000;

/** The EXIF GPS-IFD pointer tag (0x8825) in either byte order. */
const hasGpsTag = (exif: Buffer | undefined) =>
	!!exif && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));

describe('image processing', () => {
	let flood: Buffer;
	beforeAll(async () => {
		// 20000 × 20000 = 400 megapixels, small on disk (one colour compresses to ~400 KB).
		flood = await sharp({
			create: { width: 20000, height: 20000, channels: 3, background: '#fff' },
			limitInputPixels: false
		})
			.toColourspace('b-w')
			.png({ compressionLevel: 9 })
			.toBuffer();
	}, 60_000);

	it('refuses a pixel-flood PNG quickly, without decoding it', async () => {
		const storage = localStorage(mkdtempSync(join(tmpdir(), 'att-flood-')));
		const before = process.memoryUsage().rss;
		const started = performance.now();
		const result = await stage(
			storage,
			[new File([new Uint8Array(flood)], 'flood.png', { type: 'image/png' })],
			{
				limits: { maxFiles: 5, maxFileBytes: 10 * 1024 * 1024, maxBytes: 10 * 1024 * 1024 },
				allowed: new Set(DEFAULT_ALLOWED_TYPES),
				maxPixels: MAX_PIXELS
			}
		);
		const ms = performance.now() - started;
		expect(result).toMatchObject({
			ok: false,
			status: 413,
			message: '“flood.png” is 20000 × 20000 pixels; images can have at most 50 megapixels.'
		});
		expect(ms).toBeLessThan(2000);
		// Decoding would take 400 MB (1.2 GB as RGB); the header read takes next to nothing.
		expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
		expect(await storage.list()).toEqual([]);

		// The processing step refuses it too, should such a file ever reach it.
		const path = join(dir, 'flood.png');
		writeFileSync(path, flood);
		await expect(renditions(path, MAX_PIXELS)).rejects.toThrow(/pixel limit/);
	});

	it('applies the EXIF orientation and strips EXIF (GPS included) from both copies', async () => {
		const input = await sharp({
			create: { width: 400, height: 200, channels: 3, background: '#c33' }
		})
			.jpeg()
			.withMetadata({ orientation: 6 })
			.withExif({
				IFD0: { Make: 'SpyCam' },
				IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' }
			})
			.toBuffer();
		const meta = await sharp(input).metadata();
		expect(meta.orientation).toBe(6);
		expect(hasGpsTag(meta.exif)).toBe(true);
		expect(input.includes(Buffer.from('SpyCam'))).toBe(true);

		const path = join(dir, 'photo.jpg');
		writeFileSync(path, input);
		const { display, thumb } = await renditions(path, MAX_PIXELS);
		for (const [out, w, h] of [
			[display, 200, 400],
			[thumb, 160, 320]
		] as const) {
			const m = await sharp(out.data).metadata();
			expect([m.format, m.width, m.height]).toEqual(['webp', w, h]);
			expect(m.orientation).toBeUndefined();
			expect(m.exif).toBeUndefined();
			expect(m.xmp).toBeUndefined();
			expect(out.data.includes(Buffer.from('SpyCam'))).toBe(false);
		}
	});

	it('never hands SVG to a decoder', async () => {
		const path = join(dir, 'x.svg');
		writeFileSync(
			path,
			'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
		);
		await expect(renditions(path, MAX_PIXELS)).rejects.toThrow();
	});
});
