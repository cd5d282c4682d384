import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export type MailMessage = Mail.Options;

export interface SendResult {
	/** Where it went: the SMTP response, or the .eml file written. */
	info: string;
}

/** Where outgoing mail goes. One small interface so other transports can be added. */
export interface MailTransport {
	readonly kind: 'smtp' | 'eml';
	send(message: MailMessage): Promise<SendResult>;
	close(): void;
}

/** SMTP via nodemailer, for `SMTP_URL`. A rejected send throws (the outbox retries). */
export function smtpTransport(url: string): MailTransport {
	const t = nodemailer.createTransport(url);
	return {
		kind: 'smtp',
		async send(message) {
			const info = await t.sendMail(message);
			return { info: String(info.response ?? 'sent') };
		},
		close: () => t.close()
	};
}

/**
 * The embedded default: each message is written as an RFC 5322 `.eml` file to `dir`
 * (temp file, fsync, rename), so a self-hoster can open what would have been sent.
 */
export function emlTransport(dir: string): MailTransport {
	const stream = nodemailer.createTransport({
		streamTransport: true,
		buffer: true,
		newline: 'windows'
	});
	let seq = 0;
	return {
		kind: 'eml',
		async send(message) {
			const info = await stream.sendMail(message);
			mkdirSync(dir, { recursive: true });
			const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++seq}.eml`;
			const tmp = join(dir, `.${name}.tmp`);
			const fd = openSync(tmp, 'w', 0o600);
			try {
				writeSync(fd, info.message as Buffer);
				fsyncSync(fd);
			} finally {
				closeSync(fd);
			}
			const file = join(dir, name);
			renameSync(tmp, file);
			return { info: file };
		},
		close() {}
	};
}
