import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as attachments from '$lib/server/attachments';
import { s3Storage } from '$lib/server/attachments/storage-s3';
import { createLogger } from '$lib/server/log';
import { makeTicket } from '$lib/server/test/factories';
import { startS3 } from '$lib/server/test/s3-peer';
import { testDb } from '$lib/server/test/test-db';
import { unzip } from '$lib/server/test/unzip';
import { randomToken } from '$lib/server/tokens';
import { createPrivacy, createPrivacyLimits } from '.';

const { db } = testDb();
const peer = await startS3();
afterAll(() => peer.close());
const storage = s3Storage({
	bucket: peer.bucket,
	prefix: 'portal/',
	endpoint: peer.endpoint,
	region: 'us-east-1',
	forcePathStyle: true,
	tmpDir: mkdtempSync(join(tmpdir(), 'privacy-s3-tmp-')),
	credentials: peer.credentials
});
const privacy = createPrivacy({
	db,
	storage,
	log: createLogger('silent'),
	limits: createPrivacyLimits({
		export: { points: 0, durationSec: 1 },
		erase: { points: 0, durationSec: 1 }
	})
});

describe('export and erasure on S3 storage', () => {
	it('streams their files from the bucket and removes them from it', async () => {
		const key = randomToken(20);
		const other = randomToken(20);
		await makeTicket(db, {
			reporterEmail: 'bucket.person@example.com',
			within: async (tx, created) => {
				const w = await storage.write(key, new TextEncoder().encode('bucket bytes'));
				await attachments.insert(
					tx,
					[
						{
							key,
							name: 'report.txt',
							mime: 'text/plain',
							size: w.size,
							sha256: w.sha256,
							image: false
						}
					],
					{ ticketId: created.ticket.id, messageId: null }
				);
			}
		});
		await makeTicket(db, {
			reporterEmail: 'someone.else@example.com',
			within: async (tx, created) => {
				const w = await storage.write(other, new TextEncoder().encode('other bytes'));
				await attachments.insert(
					tx,
					[
						{
							key: other,
							name: 'x.txt',
							mime: 'text/plain',
							size: w.size,
							sha256: w.sha256,
							image: false
						}
					],
					{ ticketId: created.ticket.id, messageId: null }
				);
			}
		});
		const result = (await privacy.exportData('bucket.person@example.com'))!;
		const chunks: Buffer[] = [];
		for await (const c of result.stream) chunks.push(c as Buffer);
		const zip = unzip(Buffer.concat(chunks));
		expect([...zip.keys()]).toEqual(['data.json', 'files/1-report.txt']);
		expect(zip.get('files/1-report.txt')!.toString()).toBe('bucket bytes');

		expect(
			(await privacy.eraseData('bucket.person@example.com', { kind: 'system', id: null }))!.files
		).toBe(1);
		const keys = (await storage.list()).map((f) => f.key);
		expect(keys).toContain(other);
		expect(keys).not.toContain(key);
	});
});
