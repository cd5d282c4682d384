import { resolve } from 'node:path';
import { ConfigError } from './env';

export type StorageConfig =
	| { kind: 'local'; dir: string }
	| {
			kind: 's3';
			bucket: string;
			/** '' or a key prefix ending in '/'. */
			prefix: string;
			endpoint: string | null;
			region: string;
			forcePathStyle: boolean;
			/** Local folder for temporary copies (uploads in flight, sharp input). */
			tmpDir: string;
	  };

/** `STORAGE_URL`: unset → `DATA_DIR/attachments`; `s3://bucket/prefix?endpoint=…&region=…&forcePathStyle=true`. */
export function parseStorageUrl(value: string | undefined, dataDir: string): StorageConfig {
	if (!value?.trim()) return { kind: 'local', dir: resolve(dataDir, 'attachments') };
	const bad = (why: string) =>
		new ConfigError(
			`Invalid configuration: STORAGE_URL ${why} (expected s3://bucket/prefix?endpoint=https://…&region=…)`
		);
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		throw bad('is not a URL');
	}
	if (url.protocol !== 's3:') throw bad(`must start with s3:// (got ${url.protocol}//)`);
	const bucket = url.hostname;
	if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw bad('needs a valid bucket name');
	if (url.username || url.password)
		throw bad('must not hold credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
	const endpoint = url.searchParams.get('endpoint');
	if (endpoint !== null && !/^https?:\/\/[^/]+/.test(endpoint))
		throw bad('endpoint must start with http:// or https://');
	const path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
	const style = url.searchParams.get('forcePathStyle');
	if (style !== null && style !== 'true' && style !== 'false')
		throw bad('forcePathStyle must be true or false');
	return {
		kind: 's3',
		bucket,
		prefix: path ? `${path}/` : '',
		endpoint: endpoint || null,
		region: url.searchParams.get('region') || process.env.AWS_REGION || 'us-east-1',
		forcePathStyle: style === 'true',
		tmpDir: resolve(dataDir, 'tmp')
	};
}
