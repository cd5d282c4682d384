import { sql, type SqlBool } from 'kysely';
import type { Conn } from '$lib/server/db';

/** The rows that belong to one person, found by their email address (any letter case). */
export interface Subject {
	email: string;
	recipients: {
		id: number;
		ticket_id: number;
		name: string | null;
		role: 'reporter' | 'cc';
		revoked_at: number | null;
	}[];
	/** Every ticket they are a recipient of or the reporter of. */
	ticketIds: number[];
	customerIds: number[];
	/** The names they went by (recipient, reporter, customer, author names), for the text pass. */
	names: string[];
}

/** A normalized address: trimmed, lower case. Empty or without `@`: null. */
export function normalizeEmail(raw: string): string | null {
	const email = raw.trim().toLowerCase();
	return email.length >= 3 && email.length <= 320 && email.includes('@') ? email : null;
}

const ids = (rows: { id: number }[]) => rows.map((r) => r.id);

/** Everything stored about `email` that erasure and export need to find. */
export async function findSubject(db: Conn, email: string): Promise<Subject> {
	const recipients = await db
		.selectFrom('ticket_recipients')
		.select(['id', 'ticket_id', 'name', 'role', 'revoked_at'])
		.where(sql<string>`lower(email)`, '=', email)
		.orderBy('ticket_id')
		.orderBy('id')
		.execute();
	const reported = await db
		.selectFrom('tickets')
		.select(['id', 'reporter_name', 'discord_display_name', 'source'])
		.where(sql<string>`lower(reporter_email)`, '=', email)
		.execute();
	const customers = await db
		.selectFrom('customers')
		.select(['id', 'name'])
		.where(sql<string>`lower(email)`, '=', email)
		.execute();
	const recipientIds = ids(recipients);
	const authored = recipientIds.length
		? await db
				.selectFrom('messages')
				.select('author_name')
				.distinct()
				.where('author_recipient_id', 'in', recipientIds)
				.execute()
		: [];
	const names = new Set<string>();
	const add = (n: string | null | undefined) => {
		const t = n?.trim();
		// One- and two-letter names would match inside ordinary words.
		if (t && t.length >= 3) names.add(t);
	};
	recipients.forEach((r) => add(r.name));
	reported.forEach((t) => {
		add(t.reporter_name);
		if (t.source === 'discord') add(t.discord_display_name);
	});
	customers.forEach((c) => add(c.name));
	authored.forEach((m) => add(m.author_name));
	return {
		email,
		recipients,
		ticketIds: [...new Set([...recipients.map((r) => r.ticket_id), ...ids(reported)])].sort(
			(a, b) => a - b
		),
		customerIds: ids(customers),
		names: [...names]
	};
}

/** The attachment rows of files the person uploaded: on their messages, and on tickets they reported. */
export function theirFiles(db: Conn, subject: Subject) {
	const recipientIds = subject.recipients.map((r) => r.id);
	const reporterOf = subject.recipients
		.filter((r) => r.role === 'reporter')
		.map((r) => r.ticket_id);
	if (!recipientIds.length) return Promise.resolve([]);
	return db
		.selectFrom('attachments as a')
		.leftJoin('messages as m', 'm.id', 'a.message_id')
		.innerJoin('tickets as t', 't.id', 'a.ticket_id')
		.select([
			'a.id',
			'a.ticket_id',
			'a.message_id',
			'a.name',
			'a.mime',
			'a.size',
			'a.storage_key',
			'a.display_key',
			'a.thumbnail_key',
			'a.created_at'
		])
		.where((eb) =>
			eb.or([
				eb('m.author_recipient_id', 'in', recipientIds),
				// Files on the ticket's description came with the reporter's form (not a staff-made ticket).
				reporterOf.length
					? eb.and([
							eb('a.message_id', 'is', null),
							eb('a.ticket_id', 'in', reporterOf),
							eb('t.source', '!=', 'staff')
						])
					: sql<SqlBool>`1 = 0`
			])
		)
		.orderBy('a.id')
		.execute();
}
