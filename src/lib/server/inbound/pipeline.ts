import PostalMime, { type Email } from 'postal-mime';
import type { Within } from '$lib/server/attachments';
import { transaction } from '$lib/server/db/transaction';
import * as threads from '$lib/server/threads';
import { addEvent } from '$lib/server/tickets';
import { LIMITS } from '$lib/schemas/ticket';
import { resolve, normalize, type Target } from './addresses';
import type { InboundEnvelope, InboundOutcome, InboundPipeline } from './contract';
import { createFromMail } from './create';
import * as ledger from './ledger';
import { automaticReason } from './loops';
import {
	filesOf,
	formOf,
	InboundDeferred,
	withNote,
	type Incoming,
	type PipelineDeps
} from './parts';
import { replyText } from './text';

export { InboundDeferred, type PipelineDeps } from './parts';

/**
 * The inbound pipeline both receivers feed: it resolves the addressed recipient or project,
 * parses the mail, drops automatic mail (RFC 3834), stores each message once, and turns a reply
 * into a reply by that recipient and mail to a project address into a ticket (or a notice).
 */
export function createPipeline(deps: PipelineDeps): InboundPipeline {
	const domain = deps.config.inbound.domain;
	const resolveOne = (address: string) =>
		domain ? resolve(deps.db, { secret: deps.secret, domain, log: deps.log }, address) : null;

	async function target(rcptTo: string[]): Promise<Target | null> {
		let project: Target | null = null;
		for (const address of rcptTo) {
			const t = await resolveOne(address);
			if (t?.kind === 'reply') return t; // a reply address wins over a project in Cc
			project ??= t;
		}
		return project;
	}

	return {
		async accepts(address) {
			return (await resolveOne(address)) !== null;
		},
		async receive(raw, envelope) {
			const t = await target(envelope.rcptTo);
			if (!t) return done({ kind: 'refused', detail: 'no such recipient' }, envelope);
			let mail: Email;
			try {
				mail = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
			} catch (err) {
				deps.log.warn({ err }, 'inbound: unreadable message');
				return done({ kind: 'refused', detail: 'unreadable message' }, envelope);
			}
			const sender = mail.from && 'address' in mail.from ? mail.from : undefined;
			const from = sender?.address ? normalize(sender.address) : null;
			const m: Incoming = {
				raw,
				mail,
				envelope,
				target: t,
				key: ledger.dedupKey(raw, mail.messageId, t.address),
				from,
				fromName: sender?.name?.trim() || null
			};
			if (await ledger.seen(deps.db, m.key))
				return done({ kind: 'duplicate', detail: 'message stored before' }, envelope);
			try {
				return done(await handle(m), envelope);
			} catch (err) {
				if (ledger.isDuplicateKey(err))
					return done({ kind: 'duplicate', detail: 'message stored before' }, envelope);
				throw err;
			}
		}
	};

	function done(outcome: InboundOutcome, envelope: InboundEnvelope): InboundOutcome {
		deps.log.info(
			{ outcome: outcome.kind, detail: outcome.detail, transport: envelope.transport },
			'inbound: message handled'
		);
		return outcome;
	}

	async function handle(m: Incoming): Promise<InboundOutcome> {
		const automatic = automaticReason(m.mail, m.envelope) ?? ourOwn(m.from);
		if (automatic) return autoReply(m, automatic);
		if (m.target.kind === 'reply') return reply(m, m.target.thread);
		return createFromMail(deps, m, m.target.project);
	}

	/** Mail that comes from the portal's own addresses is a loop, whatever its headers say. */
	function ourOwn(from: string | null): string | null {
		if (!from) return null;
		const ours = normalize(/<([^>]+)>/.exec(deps.config.mailFrom)?.[1] ?? deps.config.mailFrom);
		if (from === ours || from.endsWith(`@${domain}`)) return 'mail from the portal itself';
		return null;
	}

	/** Recorded for staff as an internal event on the ticket it answered, at most; nobody told. */
	async function autoReply(m: Incoming, reason: string): Promise<InboundOutcome> {
		const ticketId = m.target.kind === 'reply' ? m.target.thread.ticket.id : null;
		await transaction(deps.db, async (tx) => {
			const eventId =
				ticketId === null
					? null
					: await addEvent(tx, {
							ticketId,
							name: 'auto_reply_received',
							visibility: 'internal',
							body: `Auto-reply received by email (${reason}); nothing was posted.`
						});
			await ledger.record(tx, {
				key: m.key,
				outcome: 'auto_reply',
				ticketId,
				messageId: eventId,
				from: m.from,
				transport: m.envelope.transport
			});
		});
		return { kind: 'dropped', detail: `automatic mail: ${reason}` };
	}

	/** A reply by the recipient the address names: the thread page's domain code and limits. */
	async function reply(m: Incoming, thread: threads.Thread): Promise<InboundOutcome> {
		let body = replyText(m.mail).slice(0, LIMITS.message);
		const files = filesOf(m.mail);
		if (!body && !files.length) return { kind: 'dropped', detail: 'empty reply' };
		const limit = await deps.limits.thread.reply(thread.recipient);
		if (!limit.ok)
			throw new InboundDeferred('too many replies from this address', limit.retryAfterSec);
		const store = (within: Within | null) =>
			threads.reply(deps.db, thread, {
				body,
				within: async (tx, { messageId }) => {
					await within?.(tx, { ticketId: thread.ticket.id, messageId });
					await ledger.record(tx, {
						key: m.key,
						outcome: 'reply',
						ticketId: thread.ticket.id,
						messageId,
						from: m.from,
						transport: m.envelope.transport
					});
				}
			});
		if (files.length) {
			const upload = await deps.uploads.receive(formOf(files), {
				kind: 'reply',
				recipient: thread.recipient.public_id
			});
			const stored = upload.ok ? await upload.commit((within) => store(within)) : upload;
			if (stored.ok) return { kind: 'stored', detail: `reply with ${files.length} file(s)` };
			// The words matter more than the files: keep the text and say what was left out.
			body = withNote(body, `Attachments were not added: ${stored.message}`);
		}
		await store(null);
		return { kind: 'stored', detail: 'reply' };
	}
}
