import {
	DeleteObjectCommand,
	GetObjectCommand,
	HeadBucketCommand,
	HeadObjectCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	S3Client
} from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hashedCopy, KEY, type AttachmentStorage } from './storage';

export interface S3Options {
	bucket: string;
	/** Key prefix inside the bucket ('' or ending in '/'). */
	prefix: string;
	endpoint: string | null;
	region: string;
	forcePathStyle: boolean;
	/** A local folder for temporary copies (upload staging, sharp input). */
	tmpDir: string;
	/** Explicit credentials (tests); otherwise the SDK's usual chain (AWS_ACCESS_KEY_ID, …). */
	credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Attachments as objects in an S3-compatible bucket (AWS S3, MinIO, R2, Garage…). The bucket
 * stays private: downloads stream through the portal. A write first lands in a local temporary
 * file (hashed and counted, so the object is sent with a known length) and resolves only once the
 * store acknowledged the object, so the "file before row" order holds as on disk.
 */
export function s3Storage(o: S3Options): AttachmentStorage & { client: S3Client } {
	const client = new S3Client({
		region: o.region,
		endpoint: o.endpoint ?? undefined,
		forcePathStyle: o.forcePathStyle,
		credentials: o.credentials,
		// Plain Content-Length uploads: several S3-compatible stores refuse streaming checksum trailers.
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED'
	});
	const Bucket = o.bucket;
	const objectKey = (key: string) => {
		if (!KEY.test(key)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
		return o.prefix + key;
	};
	let ready: Promise<unknown> | undefined;
	const tmpFile = async () => {
		await (ready ??= mkdir(o.tmpDir, { recursive: true, mode: 0o700 }));
		return join(o.tmpDir, `${randomUUID()}.part`);
	};
	const isMissing = (err: unknown) => {
		const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
		return (
			e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404
		);
	};

	async function download(key: string, to: string) {
		const res = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key) }));
		await pipeline(res.Body as Readable, createWriteStream(to, { mode: 0o600 }));
	}

	return {
		client,
		async write(key, data) {
			const Key = objectKey(key);
			const tmp = await tmpFile();
			try {
				const fh = await open(tmp, 'wx', 0o600);
				let result: { size: number; sha256: string };
				try {
					result = await hashedCopy(data, (chunk) => fh.write(chunk));
				} finally {
					await fh.close();
				}
				await client.send(
					new PutObjectCommand({
						Bucket,
						Key,
						Body: createReadStream(tmp),
						ContentLength: result.size,
						ContentType: 'application/octet-stream'
					})
				);
				return result;
			} finally {
				await rm(tmp, { force: true });
			}
		},
		async local(key) {
			const path = await tmpFile();
			try {
				await download(key, path);
			} catch (err) {
				await rm(path, { force: true });
				throw err;
			}
			return { path, release: () => rm(path, { force: true }) };
		},
		async read(key, range) {
			const res = await client.send(
				new GetObjectCommand({
					Bucket,
					Key: objectKey(key),
					Range: range ? `bytes=${range.start}-${range.end}` : undefined
				})
			);
			return res.Body as Readable;
		},
		async size(key) {
			const res = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
			return res.ContentLength ?? 0;
		},
		async remove(key) {
			try {
				await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
			} catch (err) {
				if (!isMissing(err)) throw err;
			}
		},
		async list() {
			const found: { key: string; mtimeMs: number }[] = [];
			let token: string | undefined;
			do {
				const page = await client.send(
					new ListObjectsV2Command({ Bucket, Prefix: o.prefix, ContinuationToken: token })
				);
				for (const obj of page.Contents ?? []) {
					const key = obj.Key?.slice(o.prefix.length) ?? '';
					// Only our own flat names: other tools' objects under the prefix are left alone.
					if (KEY.test(key)) found.push({ key, mtimeMs: obj.LastModified?.getTime() ?? 0 });
				}
				token = page.IsTruncated ? page.NextContinuationToken : undefined;
			} while (token);
			return found;
		},
		// An acknowledged PutObject is already durable.
		sync: async () => undefined,
		async check() {
			await client.send(new HeadBucketCommand({ Bucket }));
		}
	};
}
