import { describe, expect, it } from 'vitest';
import { accessLog, createLogger } from './log';

function capture(level = 'info') {
	const lines: Record<string, unknown>[] = [];
	const log = createLogger(level, { write: (s: string) => lines.push(JSON.parse(s)) });
	return { log, lines };
}

describe('logs', () => {
	it('the app log redacts tokens and passwords', () => {
		const { log, lines } = capture();
		log.warn({ token: 'abc', user: { password: 'pw' } }, 'x');
		expect(lines[0]).toMatchObject({ token: '[redacted]', user: { password: '[redacted]' } });
	});

	it('the request line carries its fields, at the app log level, from one child', () => {
		const { log, lines } = capture();
		expect(accessLog(log)).toBe(accessLog(log));
		accessLog(log).info(
			{ method: 'GET', route: '/ticket/[projectId]', status: 200, ms: 3 },
			'request'
		);
		expect(lines).toEqual([
			{
				level: 30,
				time: expect.any(String),
				method: 'GET',
				route: '/ticket/[projectId]',
				status: 200,
				ms: 3,
				msg: 'request'
			}
		]);
		const quiet = capture('warn');
		accessLog(quiet.log).info({ method: 'GET' }, 'request');
		expect(quiet.lines).toEqual([]);
	});
});
