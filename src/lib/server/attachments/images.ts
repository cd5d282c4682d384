import type { Db } from '$lib/server/db';
import type { Logger } from '$lib/server/log';
import {
	claimOne,
	claimWaiting,
	imageWorkerId,
	releaseImages,
	releaseImagesAfterCrash,
	renewImageLease,
	unclaimed,
	type ImageClaim
} from './image-jobs';
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
	/**
	 * How long a claimed image stays this worker's (ms, default 2 min); renewed while it is being
	 * processed. Another instance makes the thumbnails of a worker that died once it ran out.
	 */
	leaseMs?: number;
	/** How often `start()` looks for images no live worker holds (ms, default leaseMs / 4). */
	pollMs?: number;
	/** Name stored in claimed_by (default host:pid:random). */
	worker?: string;
}

/**
 * Makes the thumbnail and display copy of stored images after their rows were committed: auto
 * oriented, re-encoded to WebP (no EXIF/GPS/XMP survives), under a low pixel limit. Each image is
 * processed once (`processed_at`) by the one worker that holds its lease (`claimed_by`,
 * `lease_until`), at most `concurrency` at a time; failures leave a plain download.
 *
 * The instance that stores an upload claims its images in the same transaction (`lease()`), so
 * the usual path costs no extra write; `start()` polls for images nobody holds (a worker died, or
 * rows written without a claim) and claims them with `FOR UPDATE SKIP LOCKED`.
 */
export function createImageQueue(o: ImageQueueOptions) {
	const concurrency = o.concurrency ?? 2;
	const leaseMs = o.leaseMs ?? 120_000;
	const pollMs = o.pollMs ?? Math.max(1000, Math.min(30_000, leaseMs / 4));
	const worker = o.worker ?? imageWorkerId();
	const waiting: number[] = [];
	const inFlight = new Map<number, Promise<void>>();
	const resolvers = new Map<number, () => void>();
	let running = 0;
	let stopped = false;
	let timer: NodeJS.Timeout | null = null;
	let pass: Promise<number> | null = null;
	let ready: Promise<void> | null = null;

	function pump() {
		while (!stopped && running < concurrency && waiting.length) {
			const id = waiting.shift()!;
			running++;
			processOne(o, id, worker, leaseMs)
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

	/** Processes `ids` (skipping any another worker holds); resolves once they are done. */
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

	/** Claims what this worker has room for and processes it; repeats until nothing is left. */
	async function drain(now?: number): Promise<number> {
		let claimed = 0;
		while (!stopped) {
			const room = concurrency - running - waiting.length;
			const ids = await claimWaiting(o.db, worker, {
				now: now ?? Date.now(),
				leaseMs,
				limit: Math.max(room, 0)
			});
			if (!ids.length) break;
			claimed += ids.length;
			await enqueue(ids);
		}
		return claimed;
	}

	/** One polling pass at a time. */
	function run(now?: number): Promise<number> {
		if (stopped) return Promise.resolve(0);
		pass ??= (ready ?? Promise.resolve())
			.then(() => drain(now))
			.catch((err) => {
				o.log?.warn({ err }, 'looking for waiting images failed');
				return 0;
			})
			.finally(() => (pass = null));
		return pass;
	}

	return {
		enqueue,
		/** True when new images would wait behind others (every worker slot taken). */
		busy: () => running + waiting.length >= concurrency,
		/** How many images wait for a free worker. */
		backlog: () => waiting.length,
		/** The claim to store with image rows this instance inserts and then `enqueue`s. */
		lease(now = Date.now()): ImageClaim {
			return { claimed_by: worker, lease_until: now + leaseMs };
		},
		/** Claims and processes every image no live worker holds (`now` for tests); how many. */
		run,
		/**
		 * Queues every image still waiting (after a restart). On SQLite only this process owns the
		 * database, so claims a crashed run left are void at once, not after their lease.
		 */
		async resume(): Promise<void> {
			ready ??= releaseImagesAfterCrash(o.db);
			await run();
		},
		/** Resumes, then keeps looking every `pollMs` for images a dead worker left. */
		start(): void {
			stopped = false;
			const tick = () => {
				timer = setTimeout(async () => {
					await run();
					if (!stopped) tick();
				}, pollMs);
				timer.unref();
			};
			ready ??= releaseImagesAfterCrash(o.db);
			void run();
			tick();
		},
		/**
		 * Takes no more work and waits for the images being processed. Queued ones are handed back
		 * (another instance, or the next start, makes them).
		 */
		async stop(): Promise<void> {
			stopped = true;
			if (timer) clearTimeout(timer);
			const handBack = waiting.splice(0);
			for (const id of handBack) {
				resolvers.get(id)?.();
				resolvers.delete(id);
				inFlight.delete(id);
			}
			await Promise.all(inFlight.values());
			await pass;
			await releaseImages(o.db, worker, handBack).catch((err) =>
				o.log?.warn({ err }, 'handing back images failed')
			);
		}
	};
}

export type ImageQueue = ReturnType<typeof createImageQueue>;

async function processOne(
	o: ImageQueueOptions,
	id: number,
	worker: string,
	leaseMs: number
): Promise<void> {
	const a = await o.db
		.selectFrom('attachments')
		.selectAll()
		.where('id', '=', id)
		.executeTakeFirst();
	if (!a || a.processed_at !== null) return;
	// Claimed when it was stored (or polled) with time to spare: no write needed. Otherwise take
	// it now, unless another worker holds it.
	const mine = a.claimed_by === worker && (a.lease_until ?? 0) - Date.now() > leaseMs / 2;
	if (!mine && !(await claimOne(o.db, worker, id, leaseMs))) return;
	const renew = setInterval(
		() => void renewImageLease(o.db, worker, id, leaseMs).catch(() => {}),
		Math.max(leaseMs / 3, 50)
	);
	renew.unref();
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
				processed_at: now,
				...unclaimed
			})
			.where('id', '=', id)
			.execute();
	} catch (err) {
		await o.db
			.updateTable('attachments')
			.set({ processed_at: now, ...unclaimed })
			.where('id', '=', id)
			.execute();
		throw err;
	} finally {
		clearInterval(renew);
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
		// Encoder effort 2 of 6 (sharp's default 4): a display copy made in about half the time
		// with half of libwebp's working memory (about 20 MB less per image being processed), for
		// a file about 4 % larger. Measured on a 12 MP photo and a 2 MP noise JPEG
		// (bench/HISTORY.md).
		.webp({ quality: 82, effort: 2 })
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
