import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWED_TYPES, detectType, IMAGE_TYPES } from './detect';
import { renditions } from './images';
import { sharp } from './sharp';
import { stage, type Policy } from './stage';
import { localStorage } from './storage';

const dir = mkdtempSync(join(tmpdir(), 'att-gif-'));
const policy = (maxPixels: number): Policy => ({
	limits: { maxFiles: 5, maxFileBytes: 10 * 1024 * 1024, maxBytes: 10 * 1024 * 1024 },
	allowed: new Set(DEFAULT_ALLOWED_TYPES),
	maxPixels
});

const frame = (colour: string, size = 24) =>
	sharp({ create: { width: size, height: size, channels: 3, background: colour } })
		.png()
		.toBuffer();

/** A real animated GIF: `count` frames of `size` × `size`, 100 ms each. */
async function animatedGif(count: number, size = 24): Promise<Buffer> {
	const colours = ['#c00', '#0a0', '#00c', '#cc0', '#0cc', '#c0c'];
	const frames = await Promise.all(
		Array.from({ length: count }, (_, i) => frame(colours[i % colours.length], size))
	);
	return sharp(frames, { join: { animated: true } })
		.gif({ delay: frames.map(() => 100), loop: 0 })
		.toBuffer();
}

const asFile = (data: Buffer, name: string) => new File([new Uint8Array(data)], name);

describe('GIF and the other allowed image types', () => {
	it('an animated GIF is staged as an image and gets a thumbnail of its first frame', async () => {
		const gif = await animatedGif(3);
		expect((await sharp(gif).metadata()).pages).toBe(3);
		const storage = localStorage(mkdtempSync(join(tmpdir(), 'att-gif-ok-')));
		const result = await stage(storage, [asFile(gif, 'wave.gif')], policy(50_000_000));
		expect(result).toMatchObject({ ok: true, staged: [{ mime: 'image/gif', image: true }] });
		if (!result.ok) return;
		const local = await storage.local(result.staged[0].key);
		const { display, thumb } = await renditions(local.path, 50_000_000);
		await local.release();
		const m = await sharp(thumb.data).metadata();
		expect([m.format, m.width, m.height, m.pages ?? 1]).toEqual(['webp', 24, 24, 1]);
		expect(display.width).toBe(24);
	});

	it('refuses a GIF whose header claims 60000 × 60000 pixels, before decoding it', async () => {
		const lie = Buffer.from(await animatedGif(2));
		lie.writeUInt16LE(60000, 6);
		lie.writeUInt16LE(60000, 8);
		const storage = localStorage(mkdtempSync(join(tmpdir(), 'att-gif-lie-')));
		const result = await stage(storage, [asFile(lie, 'huge.gif')], policy(50_000_000));
		expect(result).toMatchObject({
			ok: false,
			status: 413,
			message: '“huge.gif” is 60000 × 60000 pixels; images can have at most 50 megapixels.'
		});
		expect(await storage.list()).toEqual([]);
	});

	it('refuses an animation whose frames together pass the budget (frames × size)', async () => {
		// 40 × 40 = 1600 pixels a frame under a 2000-pixel limit; 6 frames = 9600 > 4 × 2000.
		const storage = localStorage(mkdtempSync(join(tmpdir(), 'att-gif-frames-')));
		const many = await animatedGif(6, 40);
		const result = await stage(storage, [asFile(many, 'long.gif')], policy(2000));
		expect(result).toMatchObject({ ok: false, status: 413 });
		expect(!result.ok && result.message).toMatch(/^“long\.gif” has 6 frames of 40 × 40 pixels/);
		const few = await animatedGif(4, 40);
		expect(await stage(storage, [asFile(few, 'short.gif')], policy(2000))).toMatchObject({
			ok: true
		});
	});

	it('decodes one sample of every allowed image type through the loader allowlist', async () => {
		const base = () =>
			sharp({ create: { width: 30, height: 20, channels: 3, background: '#357' } });
		const samples: Record<string, Buffer> = {
			'image/jpeg': await base().jpeg().toBuffer(),
			'image/png': await base().png().toBuffer(),
			'image/webp': await base().webp().toBuffer(),
			'image/gif': await base().gif().toBuffer(),
			'image/avif': await base().avif().toBuffer()
		};
		expect(Object.keys(samples).sort()).toEqual([...IMAGE_TYPES].sort());
		for (const [mime, data] of Object.entries(samples)) {
			const path = join(dir, `sample.${mime.split('/')[1]}`);
			writeFileSync(path, data);
			expect(await detectType(path)).toBe(mime);
			// From a file (the processing step) and from a buffer: both loader classes are allowed.
			const { thumb } = await renditions(path, 50_000_000);
			expect([mime, thumb.width, thumb.height]).toEqual([mime, 30, 20]);
			expect((await sharp(data).metadata()).width, mime).toBe(30);
			expect((await sharp(data).resize(3).png().toBuffer()).length, mime).toBeGreaterThan(0);
		}
	});
});
