import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { createImageQueue, createUploads, localStorage } from '$lib/server/attachments';
import { loadConfig } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import { createLogger } from '$lib/server/log';
import { createLimiters } from '$lib/server/rate-limit';
import { TEST_SECRET } from '$lib/server/test/test-db';
import { createThreadLimits } from '$lib/server/threads/limits';
import { createTicketLimits } from '$lib/server/tickets/limits';
import { createPipeline } from '$lib/server/inbound/pipeline';
import type { InboundEnvelope } from '$lib/server/inbound/contract';

export const DOMAIN = 'support.example.com';

let seq = 0;
/** A short id unique in this spec file (Message-IDs, addresses). */
export const uid = () => `${Date.now().toString(36)}${++seq}`;

/** The envelope of one SMTP delivery to `to` (MAIL FROM `from`, null = the null sender). */
export const envelope = (
	to: string,
	from: string | null = 'someone@example.org'
): InboundEnvelope => ({
	mailFrom: from,
	rcptTo: [to],
	client: '203.0.113.7',
	transport: 'smtp'
});

/** The raw bytes of the mail nodemailer builds from `o`. */
export function buildMail(o: Mail.Options): Promise<Uint8Array> {
	return new Promise((res, rej) =>
		new MailComposer(o).compile().build((err, msg) => (err ? rej(err) : res(msg)))
	);
}

/**
 * A pipeline on a test database with the real upload service (files in a temporary folder) and
 * in-memory limiters, configured from `env` like the app would be.
 */
export function testPipeline(db: Db, env: Record<string, string> = {}) {
	const dir = mkdtempSync(join(tmpdir(), 'portal-inbound-'));
	const config = loadConfig({ DATA_DIR: dir, INBOUND_DOMAIN: DOMAIN, LOG_LEVEL: 'silent', ...env });
	const log = createLogger('silent');
	const storage = localStorage(join(dir, 'attachments'));
	const images = createImageQueue({ db, storage, maxPixels: 50_000_000, log });
	const uploads = createUploads({
		config,
		db,
		log,
		storage,
		images,
		limiter: createLimiters({
			replyUploads: { points: config.uploads.tokenPerHour, durationSec: 3600 }
		})
	});
	const limits = {
		create: createTicketLimits(config.createLimits),
		thread: createThreadLimits(config.threads),
		inbound: createLimiters({
			inboundSender: config.inbound.senderLimit,
			inboundNotice: config.inbound.noticeLimit
		})
	};
	const pipeline = createPipeline({ db, secret: TEST_SECRET, config, log, uploads, limits });
	return { pipeline, config, images, dir };
}

/** A fixture from test/fixtures/mail with its placeholders filled, as CRLF bytes. */
export function fixture(name: string, to: string, id: string): Uint8Array {
	const text = readFileSync(resolve('test/fixtures/mail', name), 'utf8')
		.replaceAll('{{TO}}', to)
		.replaceAll('{{ID}}', id)
		.replace(/\r?\n/g, '\r\n');
	return new TextEncoder().encode(text);
}
