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
});
