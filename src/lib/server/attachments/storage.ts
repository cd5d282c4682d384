import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** Keys are generated ids (never user file names): base32 plus an optional `.thumb.webp`-style suffix. */
const KEY = /^[a-z2-7]{26,40}(\.[a-z]+(\.[a-z0-9]+)?)?$/;

/**
 * Where attachment bytes live. A local folder today; an S3-compatible store can implement the
 * same few calls later (sharp and type detection would then work on a local temp copy).
 */
export interface AttachmentStorage {
	/** Writes a new file and flushes it to disk; returns its size and SHA-256 (hex). */
	write(
		key: string,
		data: ReadableStream<Uint8Array> | Uint8Array
	): Promise<{ size: number; sha256: string }>;
	/** A local path for the key (type detection, sharp). */
	path(key: string): string;
	read(key: string): Readable;
	size(key: string): Promise<number>;
	remove(key: string): Promise<void>;
	/** Every stored key with its modification time. */
	list(): Promise<{ key: string; mtimeMs: number }[]>;
	/** Flushes the folder's entries, so files written before a commit survive a crash. */
	sync(): Promise<void>;
}

export function localStorage(dir: string): AttachmentStorage {
	let ready: Promise<unknown> | undefined;
	const ensure = () => (ready ??= mkdir(dir, { recursive: true, mode: 0o700 }));
	const path = (key: string) => {
		if (!KEY.test(key)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
		return join(dir, key);
	};
	return {
		path,
		async write(key, data) {
			await ensure();
			const fh = await open(path(key), 'wx', 0o600);
			const hash = createHash('sha256');
			let size = 0;
			try {
				const chunks: AsyncIterable<Uint8Array> | Uint8Array[] =
					data instanceof Uint8Array ? [data] : data;
				for await (const chunk of chunks) {
					hash.update(chunk);
					size += chunk.byteLength;
					await fh.write(chunk);
				}
				await fh.sync();
			} finally {
				await fh.close();
			}
			return { size, sha256: hash.digest('hex') };
		},
		read: (key) => createReadStream(path(key)),
		size: async (key) => (await stat(path(key))).size,
		remove: (key) => rm(path(key), { force: true }),
		async list() {
			await ensure();
			const names = (await readdir(dir)).filter((n) => KEY.test(n));
			return Promise.all(
				names.map(async (key) => ({ key, mtimeMs: (await stat(join(dir, key))).mtimeMs }))
			);
		},
		async sync() {
			await ensure();
			const fh = await open(dir, 'r');
			try {
				await fh.sync();
			} finally {
				await fh.close();
			}
		}
	};
}
