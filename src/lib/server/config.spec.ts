import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('config', () => {
	it('has documented defaults', () => {
		const c = loadConfig({});
		expect(c.port).toBe(3000);
		expect(c.host).toBe('0.0.0.0');
		expect(c.origin).toBe('http://localhost:3000');
		expect(c.dataDir.endsWith('/data')).toBe(true);
		expect(c.smtpUrl).toBeNull();
		expect(c.logLevel).toBe('info');
		expect(c.databaseUrl).toBeNull();
		expect(c.databasePoolMax).toBe(10);
	});

	it('takes a PostgreSQL DATABASE_URL in either spelling', () => {
		for (const url of ['postgres://u@db/portal', 'postgresql://u@db:5433/portal']) {
			expect(loadConfig({ DATABASE_URL: url, DATABASE_POOL_MAX: '4' })).toMatchObject({
				databaseUrl: url,
				databasePoolMax: 4
			});
		}
	});

	it('derives ORIGIN from PORT and normalises a given ORIGIN', () => {
		expect(loadConfig({ PORT: '8080' }).origin).toBe('http://localhost:8080');
		const c = loadConfig({ ORIGIN: 'https://help.example.com/' });
		expect(c.origin).toBe('https://help.example.com');
		expect(c.secure).toBe(true);
	});

	it.each([
		[{ PORT: 'abc' }, /PORT must be a whole number/],
		[{ ORIGIN: 'not a url' }, /ORIGIN must be a URL/],
		[{ ORIGIN: 'ftp://x' }, /ORIGIN must start with http/],
		[{ SMTP_URL: 'mail.example.com' }, /SMTP_URL must start with smtp/],
		[{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
		[{ SECRET_KEY: 'short' }, /SECRET_KEY must be at least 32/],
		[{ STORAGE_URL: 'https://bucket.example.com/x' }, /STORAGE_URL must start with s3:\/\//],
		[{ STORAGE_URL: 's3://B_ad/x' }, /STORAGE_URL needs a valid bucket name/],
		[{ STORAGE_URL: 's3://key:secret@bucket/x' }, /AWS_ACCESS_KEY_ID/],
		[{ STORAGE_URL: 's3://bucket?endpoint=minio:9000' }, /endpoint must start with http/],
		[{ STORAGE_URL: 's3://bucket?forcePathStyle=yes' }, /forcePathStyle must be true or false/],
		[{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must start with redis:\/\//],
		[{ DATABASE_URL: 'mysql://db/portal' }, /DATABASE_URL must start with postgres/],
		[{ DATABASE_POOL_MAX: '0' }, /DATABASE_POOL_MAX must be a whole number ≥ 1/]
	])('refuses %o with a one-line reason', (env, reason) => {
		let error: unknown;
		try {
			loadConfig(env);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as Error).message).toMatch(reason);
		expect((error as Error).message).not.toContain('\n');
	});

	it('reads STORAGE_URL: unset is DATA_DIR/attachments, s3:// a bucket, prefix and endpoint', () => {
		expect(loadConfig({ DATA_DIR: '/srv/portal' }).storage).toEqual({
			kind: 'local',
			dir: '/srv/portal/attachments'
		});
		const c = loadConfig({
			DATA_DIR: '/srv/portal',
			STORAGE_URL:
				's3://tickets/portal/files/?endpoint=http://127.0.0.1:9000&region=eu-central-1&forcePathStyle=true',
			REDIS_URL: 'redis://127.0.0.1:6379/2'
		});
		expect(c.storage).toEqual({
			kind: 's3',
			bucket: 'tickets',
			prefix: 'portal/files/',
			endpoint: 'http://127.0.0.1:9000',
			region: 'eu-central-1',
			forcePathStyle: true,
			tmpDir: '/srv/portal/tmp'
		});
		expect(c.redisUrl).toBe('redis://127.0.0.1:6379/2');
		expect(loadConfig({ STORAGE_URL: 's3://tickets' }).storage).toMatchObject({
			prefix: '',
			endpoint: null,
			forcePathStyle: false
		});
	});

	it('reads the reply-by-email settings: off by default, documented defaults, one-line errors', () => {
		const off = loadConfig({}).inbound;
		expect(off).toMatchObject({ domain: null, smtp: null, imap: null });
		// 10 MiB public upload limit, base64 (× 4/3) plus 1 MiB headroom.
		expect(off.maxMessageBytes).toBe(Math.ceil((10 * 1024 * 1024 * 4) / 3) + 1024 * 1024);
		const on = loadConfig({
			INBOUND_DOMAIN: 'Support.Example.com',
			INBOUND_SMTP_PORT: '2525',
			INBOUND_SMTP_LMTP: 'true',
			INBOUND_IMAP_URL: 'imaps://u:p@imap.example.com:993/INBOX'
		}).inbound;
		expect(on).toMatchObject({
			domain: 'support.example.com',
			smtp: { port: 2525, host: '127.0.0.1', lmtp: true, tls: null, maxClients: 20 },
			imap: { url: 'imaps://u:p@imap.example.com:993/INBOX', done: 'Processed', failed: 'Failed' },
			senderLimit: { points: 20, durationSec: 3600 },
			noticeLimit: { points: 1, durationSec: 86400 }
		});
		expect(() => loadConfig({ INBOUND_SMTP_PORT: '2525' })).toThrow(/need INBOUND_DOMAIN/);
		expect(() => loadConfig({ INBOUND_DOMAIN: 'not a host' })).toThrow(/INBOUND_DOMAIN must be/);
		expect(() => loadConfig({ INBOUND_DOMAIN: 'a.example', INBOUND_TLS_CERT: '/x.pem' })).toThrow(
			/both INBOUND_TLS_CERT and INBOUND_TLS_KEY/
		);
		expect(() =>
			loadConfig({ INBOUND_DOMAIN: 'a.example', INBOUND_IMAP_URL: 'https://x' })
		).toThrow(/imap:\/\/ or imaps:\/\//);
	});
});
