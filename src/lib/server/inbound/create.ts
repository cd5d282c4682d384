import type { Within } from '$lib/server/attachments';
import type { Project } from '$lib/server/db/schema';
import { transaction } from '$lib/server/db/transaction';
import { isMailableAddress } from '$lib/server/notifications/address';
import { queueInboundNotice } from '$lib/server/notifications/inbound-notice';
import * as projects from '$lib/server/projects';
import * as tickets from '$lib/server/tickets';
import { cleanLine } from '$lib/shared/clean-text';
import { LIMITS } from '$lib/schemas/ticket';
import type { InboundOutcome } from './contract';
import * as ledger from './ledger';
import {
	clientOf,
	filesOf,
	formOf,
	senderKey,
	withNote,
	type Incoming,
	type PipelineDeps
} from './parts';
import { bodyText } from './text';

/**
 * Mail to a project address: a new ticket through the same create code and limits as the web
 * form (per sender address, per connecting server, per install) when the project accepts
 * anonymous tickets; otherwise one polite notice (rate limited), and no ticket.
 */
export async function createFromMail(
	deps: PipelineDeps,
	m: Incoming,
	project: Project
): Promise<InboundOutcome> {
	const from = m.from;
	if (!from || !isMailableAddress(from)) return { kind: 'dropped', detail: 'no usable From' };
	const sender = await deps.limits.inbound.take('inboundSender', senderKey(from));
	if (!sender.ok) return { kind: 'dropped', detail: 'sender throttled' };
	if (project.anonymous_creation === 0) return notice(deps, m, project);

	const limit = await deps.limits.create.take({ clientKey: clientOf(m.envelope), email: from });
	if (!limit.ok) return { kind: 'dropped', detail: `create limit: ${limit.name}` };
	let created = false;
	try {
		const type = projects.defaultType(project, await projects.listTypes(deps.db, project.id));
		const title =
			cleanLine(m.mail.subject ?? '').slice(0, LIMITS.title) || 'Email without a subject';
		let description = bodyText(m.mail).slice(0, LIMITS.description);
		const create = (within: Within | null) =>
			tickets.create(deps.db, {
				projectId: project.id,
				ticketTypeId: type?.id ?? null,
				title,
				description: description || '(The email had no text.)',
				reporterEmail: from,
				reporterName: m.fromName,
				source: 'email',
				within: async (tx, { ticket }) => {
					await within?.(tx, { ticketId: ticket.id, messageId: null });
					await ledger.record(tx, {
						key: m.key,
						outcome: 'ticket',
						ticketId: ticket.id,
						messageId: null,
						from,
						transport: m.envelope.transport
					});
				}
			});
		const files = filesOf(m.mail);
		if (files.length) {
			const upload = await deps.uploads.receive(formOf(files), {
				kind: 'create',
				clientKey: clientOf(m.envelope)
			});
			const stored = upload.ok ? await upload.commit((within) => create(within)) : upload;
			if (stored.ok) {
				created = true;
				return { kind: 'stored', detail: `ticket with ${files.length} file(s)` };
			}
			description = withNote(description, `Attachments were not added: ${stored.message}`);
		}
		await create(null);
		created = true;
		return { kind: 'stored', detail: 'ticket' };
	} finally {
		// Only created tickets count, as on the web form.
		if (!created) await limit.release();
	}
}

/** An intake-only project: tell the sender once per window where tickets are opened instead. */
async function notice(deps: PipelineDeps, m: Incoming, project: Project): Promise<InboundOutcome> {
	const to = (m.envelope.mailFrom ?? '').replace(/^<|>$/g, '').toLowerCase();
	const allowed =
		isMailableAddress(to) &&
		(await deps.limits.inbound.take('inboundNotice', `${project.id}:${senderKey(to)}`)).ok;
	await transaction(deps.db, async (tx) => {
		await ledger.record(tx, {
			key: m.key,
			outcome: 'notice',
			ticketId: null,
			messageId: null,
			from: m.from,
			transport: m.envelope.transport
		});
		if (allowed) await queueInboundNotice(tx, { to, projectId: project.id });
	});
	return {
		kind: 'dropped',
		detail: allowed ? 'project takes no tickets by mail: notice sent' : 'notice throttled'
	};
}
