import type { Db } from '$lib/server/db';
import type { Logger } from '$lib/server/log';
import { sharp } from './sharp';
import type { AttachmentStorage } from './storage';

/** Longest side of the display copy and of the thumbnail, in pixels. */
export const DISPLAY_SIZE = 2048;
export const THUMB_SIZE = 320;

export interface ImageQueueOptions {
	db: Db;
	storage: AttachmentStorage;
	maxPixels: number;
	log?: Pick<Logger, 'warn'>;
	/** Images processed at the same time (each with one libvips thread). */
	concurrency?: number;
}

/**
 * Makes the thumbnail and display copy of stored images after their rows were committed: auto
 * oriented, re-encoded to WebP (no EXIF/GPS/XMP survives), under a low pixel limit. Each image is
 * processed once (`processed_at`), at most `concurrency` at a time; failures leave a plain download.
 */
export function createImageQueue(o: ImageQueueOptions) {
	const concurrency = o.concurrency ?? 2;
	const waiting: number[] = [];
	const inFlight = new Map<number, Promise<void>>();
	const resolvers = new Map<number, () => void>();
	let running = 0;
	let stopped = false;

	function pump() {
		while (!stopped && running < concurrency && waiting.length) {
			const id = waiting.shift()!;
			running++;
			processOne(o, id)
				.catch((err) => o.log?.warn({ err, attachment: id }, 'image processing failed'))
				.finally(() => {
					running--;
					inFlight.delete(id);
					resolvers.get(id)?.();
					resolvers.delete(id);
					pump();
				});
		}
	}

	function enqueue(ids: number[]): Promise<void> {
		if (stopped) return Promise.resolve();
		for (const id of ids) {
			if (inFlight.has(id)) continue;
			inFlight.set(id, new Promise<void>((resolve) => resolvers.set(id, resolve)));
			waiting.push(id);
		}
		pump();
		return Promise.all(ids.map((id) => inFlight.get(id))).then(() => undefined);
	}

	return {
		enqueue,
		/** Queues every image still waiting for processing (after a restart). */
		async resume(): Promise<void> {
			const rows = await o.db
				.selectFrom('attachments')
				.select('id')
				.where('processed_at', 'is', null)
				.execute();
			await enqueue(rows.map((r) => r.id));
		},
		/**
		 * Takes no more work and waits for the images being processed. Queued ones stay
		 * unprocessed in the database and are picked up by the next start's `resume`.
		 */
		async stop(): Promise<void> {
			stopped = true;
			for (const id of waiting.splice(0)) {
				resolvers.get(id)?.();
				resolvers.delete(id);
				inFlight.delete(id);
			}
			await Promise.all(inFlight.values());
		}
	};
}

export type ImageQueue = ReturnType<typeof createImageQueue>;

async function processOne(o: ImageQueueOptions, id: number): Promise<void> {
	const a = await o.db
		.selectFrom('attachments')
		.selectAll()
		.where('id', '=', id)
		.executeTakeFirst();
	if (!a || a.processed_at !== null) return;
	const now = Date.now();
	try {
		const original = await o.storage.local(a.storage_key);
		let made: Awaited<ReturnType<typeof renditions>>;
		try {
			made = await renditions(original.path, o.maxPixels);
		} finally {
			await original.release();
		}
		const displayKey = `${a.storage_key}.display.webp`;
		const thumbKey = `${a.storage_key}.thumb.webp`;
		await o.storage.remove(displayKey);
		await o.storage.remove(thumbKey);
		await o.storage.write(displayKey, made.display.data);
		await o.storage.write(thumbKey, made.thumb.data);
		await o.storage.sync();
		await o.db
			.updateTable('attachments')
			.set({
				display_key: displayKey,
				thumbnail_key: thumbKey,
				width: made.display.width,
				height: made.display.height,
				processed_at: now
			})
			.where('id', '=', id)
			.execute();
	} catch (err) {
		await o.db.updateTable('attachments').set({ processed_at: now }).where('id', '=', id).execute();
		throw err;
	}
}

/**
 * The display copy and thumbnail of an image file as WebP buffers. Throws for images over
 * `maxPixels` before decoding them, and for anything sharp cannot decode.
 */
export async function renditions(path: string, maxPixels: number) {
	const input = sharp(path, {
		limitInputPixels: maxPixels,
		pages: 1,
		sequentialRead: true
	}).autoOrient();
	const display = await input
		.clone()
		.resize({ width: DISPLAY_SIZE, height: DISPLAY_SIZE, fit: 'inside', withoutEnlargement: true })
		.webp({ quality: 82 })
		.toBuffer({ resolveWithObject: true });
	const thumb = await input
		.clone()
		.resize({ width: THUMB_SIZE, height: THUMB_SIZE, fit: 'inside', withoutEnlargement: true })
		.webp({ quality: 75 })
		.toBuffer({ resolveWithObject: true });
	return {
		display: { data: display.data, width: display.info.width, height: display.info.height },
		thumb: { data: thumb.data, width: thumb.info.width, height: thumb.info.height }
	};
}
