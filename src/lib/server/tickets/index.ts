import type { Conn, Db, Tx } from '$lib/server/db';
import { transaction } from '$lib/server/db/transaction';
import { cleanLine, cleanOptionalLine, cleanText } from '$lib/shared/clean-text';
import type { Recipient, Ticket, TicketSource } from '$lib/server/db/schema';
import * as notify from '$lib/server/notifications/events';
import { publicId, randomToken } from '$lib/server/tokens';
import * as audit from '$lib/server/audit';
import { assignIn, roundRobinNext } from './assign';

export { addEvent, type TicketEvent } from './events';
export * from './assign';

export interface CreateTicket {
	projectId: number;
	ticketTypeId: number | null;
	templateId?: number | null;
	title: string;
	description: string;
	reporterEmail: string;
	reporterName?: string | null;
	/** The reporter's language (web page, Discord client); their mail is written in it. */
	reporterLocale?: string | null;
	/** Optional first message of the conversation. */
	initialMessage?: string | null;
	customerId?: number | null;
	customFields?: Record<string, unknown>;
	/** The field definitions the custom values were validated against. */
	customFieldsSchema?: unknown[];
	source?: TicketSource;
	discordUserId?: string | null;
	discordDisplayName?: string | null;
	/** Runs inside the create transaction, after the rows exist (e.g. attachment rows). */
	within?: (
		tx: Tx,
		created: { ticket: Ticket; reporter: Recipient; messageId: number | null }
	) => Promise<void>;
}

export interface Created {
	ticket: Ticket;
	reporter: Recipient;
}

/**
 * Creates a ticket with its reporter recipient, first message and queued confirmation mail in
 * one transaction: either all of it exists afterwards or none of it.
 */
export async function create(db: Db, raw: CreateTicket, now = Date.now()): Promise<Created> {
	const input = cleanInput(raw);
	return transaction(db, async (tx) => {
		const ticket = await tx
			.insertInto('tickets')
			.values({
				thread_key: randomToken(16),
				project_id: input.projectId,
				ticket_type_id: input.ticketTypeId,
				template_id: input.templateId ?? null,
				title: input.title,
				description: input.description,
				source: input.source ?? 'portal',
				reporter_email: input.reporterEmail,
				reporter_name: input.reporterName || null,
				discord_user_id: input.discordUserId ?? null,
				discord_display_name: input.discordDisplayName ?? null,
				customer_id: input.customerId ?? null,
				custom_fields: JSON.stringify(input.customFields ?? {}),
				custom_fields_schema: JSON.stringify(input.customFieldsSchema ?? []),
				created_at: now,
				updated_at: now,
				last_activity_at: now,
				resolved_at: null
			})
			.returningAll()
			.executeTakeFirstOrThrow();
		const reporter = await tx
			.insertInto('ticket_recipients')
			.values({
				ticket_id: ticket.id,
				public_id: publicId(),
				email: input.reporterEmail,
				name: input.reporterName || input.discordDisplayName || null,
				role: 'reporter',
				channel: input.source === 'discord' ? 'discord' : 'email',
				locale: input.reporterLocale ?? null,
				created_at: now
			})
			.returningAll()
			.executeTakeFirstOrThrow();
		let messageId: number | null = null;
		if (input.initialMessage) {
			const m = await tx
				.insertInto('messages')
				.values({
					public_id: publicId(),
					ticket_id: ticket.id,
					author_recipient_id: reporter.id,
					author_name: displayNameOf(reporter, ticket),
					body: input.initialMessage,
					event: null,
					created_at: now
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			messageId = m.id;
		}
		await input.within?.(tx, { ticket, reporter, messageId });
		const owner = await roundRobinNext(tx, ticket.project_id);
		if (owner !== null) {
			await assignIn(tx, { ticketId: ticket.id, assigneeId: owner, actor: null }, now);
			ticket.assignee_id = owner;
		}
		await notify.ticketCreated(tx, { ticketId: ticket.id, projectId: ticket.project_id, reporter });
		await audit.record(
			tx,
			{
				ticketId: ticket.id,
				actor: { kind: 'anonymous', id: null },
				action: 'ticket.created',
				data: { source: ticket.source }
			},
			now
		);
		return { ticket, reporter };
	});
}

/** Text as it may be stored, whichever path it came by (web, Discord, mail). */
function cleanInput(input: CreateTicket): CreateTicket {
	return {
		...input,
		title: cleanLine(input.title),
		description: cleanText(input.description),
		reporterName: cleanOptionalLine(input.reporterName),
		discordDisplayName: cleanOptionalLine(input.discordDisplayName),
		initialMessage: input.initialMessage ? cleanText(input.initialMessage) : null,
		customFields: cleanFields(input.customFields ?? {})
	};
}

function cleanFields(fields: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? cleanText(v) : v])
	);
}

/** A ticket by id, or undefined. */
export function get(db: Conn, id: number): Promise<Ticket | undefined> {
	return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * How a recipient is named to others: a Discord reporter by their Discord name (never the
 * synthetic fallback address), others by their name, else their email.
 */
export function displayNameOf(
	r: Pick<Recipient, 'name' | 'email' | 'role'>,
	ticket: Pick<Ticket, 'source' | 'discord_display_name'>
): string {
	if (r.role === 'reporter' && ticket.source === 'discord' && ticket.discord_display_name) {
		return ticket.discord_display_name;
	}
	return r.name || r.email;
}
