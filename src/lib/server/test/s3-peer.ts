import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/**
 * A real S3-compatible server (s3rver) on a free loopback port, with one empty bucket. Its
 * files live in a temporary folder that `close` removes.
 */
export async function startS3(bucket = 'portal-test') {
	const directory = mkdtempSync(join(tmpdir(), 's3-peer-'));
	const server = new S3rver({
		address: '127.0.0.1',
		port: 0,
		silent: true,
		directory,
		configureBuckets: [{ name: bucket, configs: [] }]
	});
	const { port } = (await server.run()) as { port: number };
	return {
		bucket,
		endpoint: `http://127.0.0.1:${port}`,
		// s3rver's fixed development credentials.
		credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
		async close() {
			await server.close();
			rmSync(directory, { recursive: true, force: true });
		}
	};
}
