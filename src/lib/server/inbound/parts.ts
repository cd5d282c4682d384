import type { Email } from 'postal-mime';
import type { Uploads } from '$lib/server/attachments';
import type { Config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import { clientKey } from '$lib/server/http/client-key';
import type { Logger } from '$lib/server/log';
import type { Limiters } from '$lib/server/rate-limit';
import type { ThreadLimits } from '$lib/server/threads/limits';
import type { TicketLimits } from '$lib/server/tickets/limits';
import { hashToken } from '$lib/server/tokens';
import { LIMITS } from '$lib/schemas/ticket';
import type { Target } from './addresses';
import type { InboundEnvelope } from './contract';

/** A reply that may not be stored yet (its link's reply limit): the sender's server retries. */
export class InboundDeferred extends Error {
	override name = 'InboundDeferred';
	constructor(
		message: string,
		readonly retryAfterSec: number
	) {
		super(message);
	}
}

export type InboundLimits = Limiters<'inboundSender' | 'inboundNotice'>;

export interface PipelineDeps {
	db: Db;
	secret: Uint8Array;
	config: Pick<Config, 'inbound' | 'mailFrom'>;
	log: Logger;
	uploads: Pick<Uploads, 'receive'>;
	limits: { create: TicketLimits; thread: ThreadLimits; inbound: InboundLimits };
}

/** What a parsed message carries for the steps after it. */
export interface Incoming {
	raw: Uint8Array;
	mail: Email;
	envelope: InboundEnvelope;
	target: Target;
	key: string;
	/** The From mailbox, lower-case; null when missing or unreadable. */
	from: string | null;
	fromName: string | null;
}

/** The files of a mail: attachments and inline (cid) images alike. */
export function filesOf(mail: Email): File[] {
	return mail.attachments
		.filter((a) => typeof a.content !== 'string' && a.content.byteLength > 0)
		.map((a, i) => {
			const bytes =
				a.content instanceof ArrayBuffer ? new Uint8Array(a.content) : (a.content as Uint8Array);
			const name = a.filename?.trim() || `attachment-${i + 1}${extensionOf(a.mimeType)}`;
			return new File([bytes as Uint8Array<ArrayBuffer>], name, { type: a.mimeType });
		});
}

function extensionOf(mime: string): string {
	const known: Record<string, string> = {
		'image/png': '.png',
		'image/jpeg': '.jpg',
		'image/gif': '.gif',
		'image/webp': '.webp',
		'application/pdf': '.pdf',
		'text/plain': '.txt'
	};
	return known[mime] ?? '';
}

export function formOf(files: File[]): FormData {
	const data = new FormData();
	for (const f of files) data.append('files', f);
	return data;
}

export function withNote(body: string, note: string): string {
	return (body ? `${body}\n\n[${note}]` : `[${note}]`).slice(0, LIMITS.message);
}

/** A sender's key in the limit counters: hashed, so the counters hold no plain addresses. */
export const senderKey = (address: string) => hashToken(address.toLowerCase()).slice(0, 32);

/** The connecting server as the per-client limits see it. */
export const clientOf = (envelope: InboundEnvelope) => clientKey(envelope.client);
