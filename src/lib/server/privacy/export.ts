import { PassThrough, type Readable } from 'node:stream';
import yazl from 'yazl';
import { sanitizeName } from '$lib/server/attachments/names';
import type { AttachmentStorage } from '$lib/server/attachments/storage';
import type { Conn } from '$lib/server/db';
import type { Logger } from '$lib/server/log';
import { findSubject, theirFiles } from './subject';

/** One message of a ticket's public conversation, as the export writes it. */
interface ExportedMessage {
	from: 'you' | 'staff' | 'recipient' | 'system';
	author: string;
	event: string | null;
	body: string;
	createdAt: string;
	files: ExportedFile[];
}

interface ExportedFile {
	name: string;
	type: string;
	size: number;
	/** Where the file is inside the ZIP; null when the stored file could not be found. */
	path: string | null;
}

/** A data export ready to stream: the ZIP is generated while it is read, never stored. */
export interface DataExport {
	filename: string;
	tickets: number;
	files: number;
	stream: Readable;
}

const iso = (ms: number) => new Date(ms).toISOString();
// What is safe in a ZIP entry name on every system (Windows reserves these).
const zipSafe = (name: string) => sanitizeName(name).replace(/[<>:"/\\|?*]/g, '_');
// Another person's name as the thread shows it, unless it is their address (never exported).
const otherName = (name: string) => (name.includes('@') ? 'Another recipient' : name);

function publicFields(values: string, schema: string): { label: string; value: unknown }[] {
	try {
		const v = JSON.parse(values) as Record<string, unknown>;
		const defs = JSON.parse(schema) as { key: string; label: string; visibility: string }[];
		return defs
			.filter((d) => d.visibility !== 'hidden' && v[d.key] !== undefined)
			.map((d) => ({ label: d.label, value: v[d.key] }));
	} catch {
		return [];
	}
}

/**
 * Builds the export of everything the person at `email` can see through their own links: per
 * ticket the public conversation (never internal notes, never hidden fields), which messages are
 * theirs, their subscription state, and the files they uploaded themselves (never files of notes
 * or of other people). Other recipients' addresses never appear. Revoked links are left out
 * unless `includeRevoked` (the staff's export for a request by email).
 */
export async function exportData(
	deps: { db: Conn; storage: AttachmentStorage; log: Logger },
	email: string,
	options: { includeRevoked?: boolean } = {},
	now = Date.now()
): Promise<DataExport> {
	const { db, storage } = deps;
	const subject = await findSubject(db, email);
	const recipients = subject.recipients.filter(
		(r) => options.includeRevoked || r.revoked_at === null
	);
	const mine = new Set(recipients.map((r) => r.id));
	const files = (await theirFiles(db, subject)).filter((f) =>
		recipients.some((r) => r.ticket_id === f.ticket_id)
	);
	const entries: { key: string; path: string; size: number }[] = [];
	const exported = new Map<number, ExportedFile>();
	for (const f of files) {
		let path: string | null = `files/${entries.length + 1}-${zipSafe(f.name)}`;
		const size = await storage.size(f.storage_key).catch(() => null);
		if (size === null) path = null;
		else entries.push({ key: f.storage_key, path, size });
		exported.set(f.id, { name: f.name, type: f.mime, size: f.size, path });
	}

	const tickets = [];
	for (const r of recipients) {
		const t = await db
			.selectFrom('tickets as t')
			.innerJoin('projects as p', 'p.id', 't.project_id')
			.select([
				't.id',
				't.title',
				't.description',
				't.status',
				't.source',
				't.created_at',
				't.last_activity_at',
				't.custom_fields',
				't.custom_fields_schema',
				'p.name as project'
			])
			.where('t.id', '=', r.ticket_id)
			.executeTakeFirstOrThrow();
		const full = await db
			.selectFrom('ticket_recipients')
			.select(['channel', 'unsubscribed_at'])
			.where('id', '=', r.id)
			.executeTakeFirstOrThrow();
		const rows = await db
			.selectFrom('messages')
			.select(['id', 'kind', 'event', 'author_name', 'author_recipient_id', 'author_staff_id'])
			.select(['body', 'created_at'])
			.where('ticket_id', '=', t.id)
			.where('visibility', '=', 'public')
			.orderBy('id')
			.execute();
		const conversation: ExportedMessage[] = rows.map((m) => {
			const from =
				m.kind === 'event'
					? 'system'
					: m.author_staff_id !== null
						? 'staff'
						: m.author_recipient_id !== null && mine.has(m.author_recipient_id)
							? 'you'
							: 'recipient';
			return {
				from,
				author: from === 'recipient' ? otherName(m.author_name) : m.author_name,
				event: m.event,
				body: m.body,
				createdAt: iso(m.created_at),
				files: files.filter((f) => f.message_id === m.id).map((f) => exported.get(f.id)!)
			};
		});
		tickets.push({
			project: t.project,
			title: t.title,
			description: t.description,
			status: t.status,
			createdAt: iso(t.created_at),
			lastActivityAt: iso(t.last_activity_at),
			role: r.role === 'reporter' ? 'reporter' : 'notified',
			linkRevoked: r.revoked_at !== null,
			emailNotifications: full.channel === 'email' ? full.unsubscribed_at === null : null,
			fields: publicFields(t.custom_fields, t.custom_fields_schema),
			files: files
				.filter((f) => f.ticket_id === t.id && f.message_id === null)
				.map((f) => exported.get(f.id)!),
			conversation
		});
	}

	const data = {
		format: 'ticket-portal-export/1',
		exportedAt: iso(now),
		email: subject.email,
		tickets
	};
	const zip = new yazl.ZipFile();
	zip.addBuffer(Buffer.from(JSON.stringify(data, null, 2) + '\n'), 'data.json', {
		mtime: new Date(now)
	});
	for (const e of entries) {
		zip.addReadStreamLazy(e.path, { size: e.size, mtime: new Date(now) }, (cb) => {
			storage.read(e.key).then(
				(stream) => cb(null, stream),
				(err) => cb(err, undefined as never)
			);
		});
	}
	zip.end();
	// yazl's output is an old-style stream: piped into a PassThrough so errors (a file vanishing
	// mid-export) end the download instead of hanging it.
	const out = new PassThrough();
	zip.on('error', (err: Error) => {
		deps.log.warn({ err: err.message }, 'data export failed while streaming');
		out.destroy(err);
	});
	zip.outputStream.pipe(out);
	return {
		filename: `my-data-${iso(now).slice(0, 10)}.zip`,
		tickets: tickets.length,
		files: entries.length,
		stream: out
	};
}
