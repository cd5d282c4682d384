import { addressParser } from 'postal-mime';
import type { InboundEnvelope } from './contract';

/** Where the IMAP poller reads: `INBOUND_IMAP_URL`, parsed. */
export interface ImapTarget {
	secure: boolean;
	host: string;
	port: number;
	user: string;
	pass: string;
	mailbox: string;
}

/** Reads `INBOUND_IMAP_URL`. The error never repeats the URL: it holds a password. */
export function parseImapUrl(url: string): ImapTarget {
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		throw new Error('INBOUND_IMAP_URL is not a URL (expected imaps://user:pass@host:993/INBOX)');
	}
	const secure = u.protocol === 'imaps:';
	if (!secure && u.protocol !== 'imap:')
		throw new Error('INBOUND_IMAP_URL must start with imaps:// or imap://');
	if (!u.hostname || !u.username) throw new Error('INBOUND_IMAP_URL needs a user and a host');
	try {
		return {
			secure,
			host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
			port: u.port ? Number(u.port) : secure ? 993 : 143,
			user: decodeURIComponent(u.username),
			pass: decodeURIComponent(u.password),
			mailbox: decodeURIComponent(u.pathname.replace(/^\/+/, '')) || 'INBOX'
		};
	} catch {
		throw new Error('INBOUND_IMAP_URL holds a malformed %-escape');
	}
}

/** Header fields of a raw message, unfolded, lower-cased names, in order of appearance. */
function headerFields(raw: Uint8Array): [string, string][] {
	const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
	// Only the header block is decoded, however large the body.
	const ends = [bytes.indexOf('\r\n\r\n'), bytes.indexOf('\n\n')].filter((i) => i >= 0);
	const end = ends.length ? Math.min(...ends) : bytes.length;
	const block = bytes
		.subarray(0, end)
		.toString('utf8')
		.replace(/\r?\n[ \t]/g, ' ');
	return block.split(/\r?\n/).flatMap((line): [string, string][] => {
		const colon = line.indexOf(':');
		return colon > 0
			? [[line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]]
			: [];
	});
}

const addresses = (value: string) =>
	addressParser(value, { flatten: true }).flatMap((a) =>
		'address' in a && a.address ? [a.address] : []
	);

/**
 * The envelope a mailbox no longer has, rebuilt from the headers its delivery left: MAIL FROM from
 * `Return-Path` (`<>` is the null sender; a mailbox without one falls back to Sender/From, so a
 * provider that strips it does not turn every reply into a bounce), the recipients from
 * Delivered-To, X-Original-To, To and Cc in that order, each address once.
 */
export function envelopeOf(raw: Uint8Array, host: string): InboundEnvelope {
	const fields = headerFields(raw);
	const all = (name: string) => fields.filter(([n]) => n === name).map(([, v]) => v);
	let mailFrom: string | null;
	const returnPath = all('return-path')[0];
	if (returnPath !== undefined) {
		const inner = /<([^>]*)>/.exec(returnPath)?.[1] ?? returnPath;
		mailFrom = inner.trim() || null;
	} else {
		mailFrom = [...all('sender'), ...all('from')].flatMap(addresses)[0] ?? null;
	}
	const seen = new Set<string>();
	const rcptTo: string[] = [];
	for (const name of ['delivered-to', 'x-original-to', 'to', 'cc']) {
		for (const address of all(name).flatMap(addresses)) {
			if (seen.has(address.toLowerCase())) continue;
			seen.add(address.toLowerCase());
			rcptTo.push(address);
		}
	}
	return { mailFrom, rcptTo, client: host, transport: 'imap' };
}
