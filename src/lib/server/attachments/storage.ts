import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** Keys are generated ids (never user file names): base32 plus an optional `.thumb.webp`-style suffix. */
export const KEY = /^[a-z2-7]{26,40}(\.[a-z]+(\.[a-z0-9]+)?)?$/;

/** Inclusive byte range of a stored file (`end` clamped to the last byte by the caller). */
export interface ByteRange {
	start: number;
	end: number;
}

/** A file on local disk that type detection and sharp can open; `release` when done with it. */
export interface LocalFile {
	path: string;
	release(): Promise<void>;
}

/**
 * Where attachment bytes live: a local folder (the default) or an S3-compatible bucket. Type
 * detection and sharp need a file on disk, which `local` gives (a temporary copy for S3).
 */
export interface AttachmentStorage {
	/** Writes a new file durably (flushed, or acknowledged by the store); returns size and SHA-256 (hex). */
	write(
		key: string,
		data: ReadableStream<Uint8Array> | Uint8Array
	): Promise<{ size: number; sha256: string }>;
	/** The file on local disk (type detection, sharp). */
	local(key: string): Promise<LocalFile>;
	/** Streams the file, or the given byte range of it. */
	read(key: string, range?: ByteRange): Promise<Readable>;
	size(key: string): Promise<number>;
	remove(key: string): Promise<void>;
	/** Every stored key with its modification time. */
	list(): Promise<{ key: string; mtimeMs: number }[]>;
	/** Flushes the folder's entries, so files written before a commit survive a crash. */
	sync(): Promise<void>;
	/** Throws when the storage cannot be reached or written (health check). */
	check(): Promise<void>;
}

/** Streams `data` through `sink` while counting and hashing it. */
export async function hashedCopy(
	data: ReadableStream<Uint8Array> | Uint8Array,
	sink: (chunk: Uint8Array) => Promise<unknown>
): Promise<{ size: number; sha256: string }> {
	const hash = createHash('sha256');
	let size = 0;
	const chunks: AsyncIterable<Uint8Array> | Uint8Array[] =
		data instanceof Uint8Array ? [data] : data;
	for await (const chunk of chunks) {
		hash.update(chunk);
		size += chunk.byteLength;
		await sink(chunk);
	}
	return { size, sha256: hash.digest('hex') };
}

export function localStorage(dir: string): AttachmentStorage {
	let ready: Promise<unknown> | undefined;
	const ensure = () => (ready ??= mkdir(dir, { recursive: true, mode: 0o700 }));
	const path = (key: string) => {
		if (!KEY.test(key)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
		return join(dir, key);
	};
	const sync = async () => {
		await ensure();
		const fh = await open(dir, 'r');
		try {
			await fh.sync();
		} finally {
			await fh.close();
		}
	};
	return {
		async write(key, data) {
			await ensure();
			const fh = await open(path(key), 'wx', 0o600);
			try {
				const result = await hashedCopy(data, (chunk) => fh.write(chunk));
				await fh.sync();
				return result;
			} finally {
				await fh.close();
			}
		},
		local: async (key) => ({ path: path(key), release: async () => undefined }),
		read: async (key, range) =>
			createReadStream(path(key), range ? { start: range.start, end: range.end } : undefined),
		size: async (key) => (await stat(path(key))).size,
		remove: (key) => rm(path(key), { force: true }),
		async list() {
			await ensure();
			const names = (await readdir(dir)).filter((n) => KEY.test(n));
			return Promise.all(
				names.map(async (key) => ({ key, mtimeMs: (await stat(join(dir, key))).mtimeMs }))
			);
		},
		sync,
		check: sync
	};
}
