import type { Conn } from '$lib/server/db';
import * as projects from '$lib/server/projects';
import { displayNameOf } from '$lib/server/tickets';

export interface FieldValue {
	key: string;
	label: string;
	visibility: string;
	value: string;
}

/** Renders a stored custom value for people: lists joined, booleans as Yes/No, select labels. */
function show(
	value: unknown,
	def: { kind?: string; options?: { value: string; label: string }[] }
): string {
	const label = (v: unknown) => def.options?.find((o) => o.value === v)?.label ?? String(v);
	if (value === undefined || value === null || value === '') return '—';
	if (Array.isArray(value)) return value.map(label).join(', ') || '—';
	if (typeof value === 'boolean') return value ? 'Yes' : 'No';
	return label(value);
}

/**
 * The custom field values of a ticket, hidden and read-only ones included, in the order of the
 * definitions the ticket was validated against; values without a definition come last.
 */
export function customFields(valuesJson: string, schemaJson: string): FieldValue[] {
	let values: Record<string, unknown> = {};
	let defs: {
		key: string;
		label?: string;
		visibility?: string;
		kind?: string;
		options?: unknown;
	}[] = [];
	try {
		values = JSON.parse(valuesJson) ?? {};
		const parsed = JSON.parse(schemaJson);
		defs = Array.isArray(parsed) ? parsed : [];
	} catch {
		/* unreadable: show nothing rather than fail the page */
	}
	const out: FieldValue[] = [];
	for (const d of defs) {
		if (!d || typeof d.key !== 'string') continue;
		const options = typeof d.options === 'string' ? safeJson(d.options) : d.options;
		out.push({
			key: d.key,
			label: d.label ?? d.key,
			visibility: d.visibility ?? 'public',
			value: show(values[d.key], { kind: d.kind, options: Array.isArray(options) ? options : [] })
		});
	}
	for (const [key, value] of Object.entries(values)) {
		if (!out.some((f) => f.key === key))
			out.push({ key, label: key, visibility: 'public', value: show(value, {}) });
	}
	return out;
}

function safeJson(s: string): unknown {
	try {
		return JSON.parse(s);
	} catch {
		return [];
	}
}

/** Everything the staff ticket page shows, or undefined for an unknown id. */
export async function view(db: Conn, ticketId: number) {
	const ticket = await db
		.selectFrom('tickets')
		.selectAll()
		.where('id', '=', ticketId)
		.executeTakeFirst();
	if (!ticket) return undefined;
	const project = await db
		.selectFrom('projects')
		.selectAll()
		.where('id', '=', ticket.project_id)
		.executeTakeFirstOrThrow();
	const [types, customer, recipients, messages, attachments, mailed] = await Promise.all([
		projects.listTypes(db, project.id),
		ticket.customer_id === null
			? undefined
			: db
					.selectFrom('customers')
					.select(['id', 'name', 'email'])
					.where('id', '=', ticket.customer_id)
					.executeTakeFirst(),
		db
			.selectFrom('ticket_recipients')
			.selectAll()
			.where('ticket_id', '=', ticket.id)
			.orderBy('id')
			.execute(),
		db
			.selectFrom('messages')
			.leftJoin('staff_users', 'staff_users.id', 'messages.author_staff_id')
			.select([
				'messages.id',
				'messages.public_id',
				'messages.kind',
				'messages.visibility',
				'messages.event',
				'messages.author_name',
				'messages.author_staff_id',
				'messages.author_recipient_id',
				'messages.body',
				'messages.created_at'
			])
			.where('messages.ticket_id', '=', ticket.id)
			.orderBy('messages.id')
			.execute(),
		db
			.selectFrom('attachments')
			.select(['public_id', 'message_id', 'name', 'mime', 'size'])
			.where('ticket_id', '=', ticket.id)
			.orderBy('id')
			.execute(),
		// Replies that came by email: the mail's From, for staff only.
		db
			.selectFrom('inbound_messages')
			.select(['message_id', 'from_address'])
			.where('ticket_id', '=', ticket.id)
			.where('outcome', '=', 'reply')
			.execute()
	]);
	const emailOf = new Map(recipients.map((r) => [r.id, r.email.toLowerCase()]));
	const mailFrom = new Map(mailed.map((m) => [m.message_id, m.from_address]));
	const type =
		types.find((t) => t.id === ticket.ticket_type_id) ??
		(ticket.ticket_type_id === null
			? undefined
			: await db
					.selectFrom('ticket_types')
					.selectAll()
					.where('id', '=', ticket.ticket_type_id)
					.executeTakeFirst());
	const files = (messageId: number | null) =>
		attachments
			.filter((a) => a.message_id === messageId)
			.map((a) => ({ id: a.public_id, name: a.name, mime: a.mime, size: a.size }));
	return {
		ticket: {
			id: ticket.id,
			title: ticket.title,
			description: ticket.description,
			status: ticket.status,
			source: ticket.source,
			reporter: displayNameOf(
				{ name: ticket.reporter_name, email: ticket.reporter_email, role: 'reporter' },
				ticket
			),
			reporterEmail: ticket.source === 'discord' ? null : ticket.reporter_email,
			discordUserId: ticket.discord_user_id,
			createdAt: ticket.created_at,
			lastActivityAt: ticket.last_activity_at,
			attachments: files(null)
		},
		project: { key: project.key, name: project.name },
		type: type ? { key: type.key, name: type.name } : null,
		types: types.map((t) => ({ key: t.key, name: t.name })),
		customer: customer ?? null,
		fields: customFields(ticket.custom_fields, ticket.custom_fields_schema),
		recipients: recipients.map((r) => ({
			id: r.public_id,
			email: r.channel === 'discord' ? null : r.email,
			name: r.role === 'reporter' ? displayNameOf(r, ticket) : r.name,
			role: r.role,
			channel: r.channel,
			revoked: r.revoked_at !== null,
			unsubscribed: r.unsubscribed_at !== null,
			version: r.token_version
		})),
		messages: messages.map((m) => ({
			id: m.public_id,
			kind: m.kind,
			internal: m.visibility === 'internal',
			event: m.event,
			author: m.author_name,
			from: m.kind === 'event' ? 'system' : m.author_staff_id !== null ? 'staff' : 'recipient',
			body: m.body,
			createdAt: m.created_at,
			attachments: files(m.id),
			...byMail(mailFrom, emailOf, m)
		}))
	};
}

/**
 * How a message arrived, for staff: by email (with the mail's From) or not; `fromDiffers` when the
 * From is not the address of the recipient whose reply address it used (a forward, an alias, or
 * someone else holding the mail).
 */
function byMail(
	mailFrom: Map<number | null, string | null>,
	emailOf: Map<number, string>,
	m: { id: number; author_recipient_id: number | null }
) {
	if (!mailFrom.has(m.id)) return { byMail: false, mailFrom: null, fromDiffers: false };
	const from = mailFrom.get(m.id) ?? null;
	const own = m.author_recipient_id === null ? undefined : emailOf.get(m.author_recipient_id);
	return { byMail: true, mailFrom: from, fromDiffers: from !== null && own !== from };
}

export type TicketView = NonNullable<Awaited<ReturnType<typeof view>>>;
