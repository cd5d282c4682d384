import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import Database from 'better-sqlite3';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from './helpers';

/**
 * Test-side access to a running portal's data: seeds tickets straight into its SQLite file (WAL,
 * so the server keeps working) and builds thread links with the same HMAC as src/lib/server/tokens.ts.
 */

export function openPortalDb(dir = dataDir()) {
	const db = new Database(join(dir, 'portal.db'));
	db.pragma('journal_mode = WAL');
	db.pragma('busy_timeout = 5000');
	return db;
}

const publicId = () => encodeBase32LowerCaseNoPadding(randomBytes(10));

/** `selector.base32(hmac_sha256(secret, "thread|selector|version")[0:20])`, as the server builds it. */
export function threadToken(selector: string, version = 1, dir = dataDir()): string {
	const secret = process.env.SECRET_KEY || readFileSync(join(dir, 'secret.key'), 'utf8').trim();
	const mac = createHmac('sha256', secret).update(`thread|${selector}|${version}`).digest();
	return `${selector}.${encodeBase32LowerCaseNoPadding(mac.subarray(0, 20))}`;
}

/** A big id no other row uses, so a leak of it can be searched for without false hits. */
export function bigId(): number {
	return 700_000 + Math.floor(Math.random() * 90_000);
}

export interface SeedRecipient {
	email: string;
	name?: string | null;
	role?: 'reporter' | 'cc';
}

export interface SeedMessage {
	/** Index into `recipients` of the author, or 'staff' / 'event'. */
	by: number | 'staff' | 'event';
	body?: string;
	event?: string;
	author?: string;
	visibility?: 'public' | 'internal';
}

export interface SeedTicket {
	title?: string;
	description?: string;
	projectKey?: string;
	status?: 'open' | 'waiting' | 'resolved' | 'rejected';
	source?: 'portal' | 'discord';
	discordName?: string | null;
	recipients: SeedRecipient[];
	messages?: SeedMessage[];
	/** Explicit internal ticket id (default: a big random one). */
	id?: number;
}

/** Inserts a ticket with its recipients and messages; returns ids and each recipient's link path. */
export function seedTicket(input: SeedTicket, dir = dataDir()) {
	const db = openPortalDb(dir);
	try {
		const now = Date.now();
		const project = db
			.prepare('SELECT id FROM projects WHERE key = ?')
			.get(input.projectKey ?? 'demo') as { id: number };
		const ticketId = input.id ?? bigId();
		const reporter =
			input.recipients.find((r) => (r.role ?? 'reporter') === 'reporter') ?? input.recipients[0];
		db.prepare(
			`INSERT INTO tickets (id, thread_key, project_id, ticket_type_id, template_id, title, description, status, source,
				reporter_email, reporter_name, discord_user_id, discord_display_name, created_at, updated_at, last_activity_at, resolved_at)
			 VALUES (?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
		).run(
			ticketId,
			publicId() + publicId(),
			project.id,
			input.title ?? `Seeded ticket ${publicId()}`,
			input.description ?? 'Seeded for a test.',
			input.status ?? 'open',
			input.source ?? 'portal',
			reporter.email,
			reporter.name ?? null,
			input.source === 'discord' ? reporter.email.split('@')[0] : null,
			input.discordName ?? null,
			now - 3_600_000,
			now - 3_600_000,
			now - 3_600_000,
			input.status === 'resolved' || input.status === 'rejected' ? now - 1_800_000 : null
		);
		const recipients = input.recipients.map((r, i) => {
			const id = ticketId + 100_000 + i;
			const pid = publicId();
			db.prepare(
				`INSERT INTO ticket_recipients (id, ticket_id, public_id, email, name, role, channel, created_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
			).run(
				id,
				ticketId,
				pid,
				r.email,
				r.name ?? null,
				r.role ?? (i === 0 ? 'reporter' : 'cc'),
				input.source === 'discord' && i === 0 ? 'discord' : 'email',
				now
			);
			return {
				id,
				publicId: pid,
				email: r.email,
				path: `/ticket/thread/${threadToken(pid, 1, dir)}`
			};
		});
		const staffId = input.messages?.some((m) => m.by === 'staff') ? staffUser(db) : null;
		const messageIds: number[] = [];
		(input.messages ?? []).forEach((m, i) =>
			addMessage(
				db,
				ticketId,
				recipients,
				staffId,
				m,
				now - 3_000_000 + i * 1000,
				ticketId + 200_000 + i,
				messageIds
			)
		);
		return { ticketId, recipients, messageIds };
	} finally {
		db.close();
	}
}

function addMessage(
	db: Database.Database,
	ticketId: number,
	recipients: { id: number; email: string }[],
	staffId: number | null,
	m: SeedMessage,
	at: number,
	id: number,
	ids: number[]
) {
	const author = typeof m.by === 'number' ? recipients[m.by] : null;
	db.prepare(
		`INSERT INTO messages (id, public_id, ticket_id, kind, visibility, author_recipient_id, author_staff_id, author_name, body, event, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	).run(
		id,
		publicId(),
		ticketId,
		m.by === 'event' ? 'event' : 'message',
		m.visibility ?? 'public',
		author?.id ?? null,
		m.by === 'staff' ? staffId : null,
		m.author ??
			(m.by === 'staff' ? 'Sam from Support' : m.by === 'event' ? '' : (author?.email ?? '')),
		m.body ?? '',
		m.event ?? null,
		at
	);
	ids.push(id);
}

/** The seeded support agent (created on first use). */
function staffUser(db: Database.Database): number {
	db.prepare(
		`INSERT OR IGNORE INTO staff_users (email, name, password_hash, role, created_at)
		 VALUES ('sam@support.test', 'Sam from Support', 'x', 'agent', ?)`
	).run(Date.now());
	return (
		db.prepare(`SELECT id FROM staff_users WHERE email = 'sam@support.test'`).get() as {
			id: number;
		}
	).id;
}

/** Marks a recipient's link revoked. */
export function revokeRecipient(recipientId: number, dir = dataDir()) {
	const db = openPortalDb(dir);
	try {
		db.prepare('UPDATE ticket_recipients SET revoked_at = ? WHERE id = ?').run(
			Date.now(),
			recipientId
		);
	} finally {
		db.close();
	}
}

/** Adds a project (key, name) and returns its key. */
export function seedProject(name: string, dir = dataDir()): string {
	const db = openPortalDb(dir);
	try {
		const key = `p${publicId().slice(0, 8)}`;
		db.prepare('INSERT INTO projects (key, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
			key,
			name,
			Date.now(),
			Date.now()
		);
		return key;
	} finally {
		db.close();
	}
}

/** Makes `document.hidden` / `visibilityState` controllable: `setHidden(page, true)`. */
export const visibilityScript = () => {
	const w = window as unknown as { __hidden?: boolean };
	Object.defineProperty(Document.prototype, 'hidden', {
		configurable: true,
		get: () => w.__hidden === true
	});
	Object.defineProperty(Document.prototype, 'visibilityState', {
		configurable: true,
		get: () => (w.__hidden === true ? 'hidden' : 'visible')
	});
};

export async function setHidden(page: import('@playwright/test').Page, hidden: boolean) {
	await page.evaluate((h) => {
		(window as unknown as { __hidden?: boolean }).__hidden = h;
		document.dispatchEvent(new Event('visibilitychange'));
	}, hidden);
}
