import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localStorage } from '$lib/server/attachments/storage';
import { createLogger } from '$lib/server/log';
import { createPrivacy, createPrivacyLimits } from '$lib/server/privacy';
import { makeTicket } from '$lib/server/test/factories';
import { testDb } from '$lib/server/test/test-db';
import { parseEraseArgs, runErase } from './erase';

const { db } = testDb();
const privacy = createPrivacy({
	db,
	storage: localStorage(mkdtempSync(join(tmpdir(), 'erase-cli-'))),
	log: createLogger('silent'),
	limits: createPrivacyLimits({
		export: { points: 0, durationSec: 1 },
		erase: { points: 0, durationSec: 1 }
	})
});

describe('erase command', () => {
	it('parses its arguments and explains mistakes', () => {
		expect(parseEraseArgs(['--email', ' Ann@Example.com '])).toEqual({
			email: 'ann@example.com',
			yes: false
		});
		expect(parseEraseArgs(['--email=ann@example.com', '--yes'])).toEqual({
			email: 'ann@example.com',
			yes: true
		});
		expect(parseEraseArgs([])).toMatch(/--email is required/);
		expect(parseEraseArgs(['--email', 'nope'])).toMatch(/not an email address/);
		expect(parseEraseArgs(['--bogus'])).toMatch(/Unknown argument/);
	});

	it('changes nothing without --yes, and erases with it', async () => {
		const t = await makeTicket(db, { reporterEmail: 'ann@example.com', reporterName: 'Ann Able' });
		const lines: string[] = [];
		expect(
			await runErase(privacy, { email: 'ann@example.com', yes: false }, (l) => lines.push(l))
		).toBe(1);
		expect(lines.join('\n')).toMatch(
			/would replace their name and address on 1 ticket, 0 messages/
		);
		expect(lines.join('\n')).toMatch(/Nothing was erased. Run again with --yes/);
		const before = await db
			.selectFrom('tickets')
			.select('reporter_email')
			.where('id', '=', t.ticket.id)
			.executeTakeFirstOrThrow();
		expect(before.reporter_email).toBe('ann@example.com');

		lines.length = 0;
		expect(
			await runErase(privacy, { email: 'ann@example.com', yes: true }, (l) => lines.push(l))
		).toBe(0);
		expect(lines[0]).toBe('Erased ann@example.com:');
		expect(lines.join('\n')).toMatch(/1 ticket anonymized/);
		expect(lines.join('\n')).toMatch(/1 link revoked/);
		const after = await db
			.selectFrom('tickets')
			.select(['reporter_email', 'reporter_name'])
			.where('id', '=', t.ticket.id)
			.executeTakeFirstOrThrow();
		expect(after.reporter_email).toMatch(/@erased\.invalid$/);
		expect(after.reporter_name).toMatch(/^Erased person #/);
	});
});
