// Test data for the create page, written straight into a server's SQLite file (WAL lets the
// test and the server share it). Each test makes its own project with a random key.
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { dataDir } from './helpers';

export type Sqlite = Database.Database;

export function openDb(dir = dataDir()): Sqlite {
	const db = new Database(join(dir, 'portal.db'));
	db.pragma('busy_timeout = 5000');
	return db;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** A random lower-case base32 string like the app's tokens. */
export function randomToken(length = 32): string {
	return [...randomBytes(length)].map((b) => BASE32[b % 32]).join('');
}

export function makeProject(
	db: Sqlite,
	opts: { name?: string; anonymous?: boolean } = {}
): { id: number; key: string } {
	const key = `t${randomToken(10)}`;
	const now = Date.now();
	const { id } = db
		.prepare(
			'INSERT INTO projects (key, name, anonymous_creation, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id'
		)
		.get(key, opts.name ?? `Project ${key}`, opts.anonymous === false ? 0 : 1, now, now) as {
		id: number;
	};
	return { id, key };
}

export interface FieldSpec {
	key: string;
	label: string;
	kind?: string;
	required?: boolean;
	visibility?: 'public' | 'hidden' | 'readonly';
	default?: unknown;
	options?: { value: string; label: string }[];
	help?: string;
}

export function makeTemplate(
	db: Sqlite,
	projectId: number,
	name: string,
	fields: FieldSpec[],
	opts: { selectable?: boolean; description?: string } = {}
): number {
	const now = Date.now();
	const { id } = db
		.prepare(
			'INSERT INTO templates (project_id, name, description, selectable, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id'
		)
		.get(projectId, name, opts.description ?? '', opts.selectable ? 1 : 0, now, now) as {
		id: number;
	};
	const insert = db.prepare(
		'INSERT INTO template_fields (template_id, key, label, help, kind, required, visibility, default_value, options, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
	);
	fields.forEach((f, i) =>
		insert.run(
			id,
			f.key,
			f.label,
			f.help ?? '',
			f.kind ?? 'text',
			f.required ? 1 : 0,
			f.visibility ?? 'public',
			f.default === undefined ? null : JSON.stringify(f.default),
			JSON.stringify(f.options ?? []),
			i
		)
	);
	return id;
}

/** Binds a template to a built-in or project type (by key), or project-wide with `null`. */
export function bindTemplate(
	db: Sqlite,
	projectId: number,
	templateId: number,
	typeKey: string | null
) {
	const type = typeKey
		? (
				db
					.prepare(
						'SELECT id FROM ticket_types WHERE key = ? AND (project_id IS NULL OR project_id = ?)'
					)
					.get(typeKey, projectId) as { id: number }
			).id
		: null;
	db.prepare(
		'INSERT INTO template_bindings (project_id, ticket_type_id, template_id, created_at) VALUES (?, ?, ?, ?)'
	).run(projectId, type, templateId, Date.now());
}

export function enforceTemplate(db: Sqlite, projectId: number, templateId: number) {
	db.prepare('UPDATE projects SET enforced_template_id = ? WHERE id = ?').run(
		templateId,
		projectId
	);
}

/** An intake link for a (new) customer; returns the token (only its hash is stored). */
export function makeIntakeLink(
	db: Sqlite,
	projectId: number,
	customer: string,
	opts: { expiresAt?: number; revoked?: boolean } = {}
): string {
	const now = Date.now();
	const { id } = db
		.prepare('INSERT INTO customers (name, created_at) VALUES (?, ?) RETURNING id')
		.get(customer, now) as { id: number };
	const token = randomToken();
	db.prepare(
		'INSERT INTO customer_intake_links (token_hash, project_id, customer_id, expires_at, revoked_at, created_at) VALUES (?, ?, ?, ?, ?, ?)'
	).run(
		createHash('sha256').update(token).digest('hex'),
		projectId,
		id,
		opts.expiresAt ?? now + 86_400_000,
		opts.revoked ? now : null,
		now
	);
	return token;
}

/** The ticket with this title, with its customer name and recipients. */
export function ticketByTitle(db: Sqlite, title: string) {
	const ticket = db
		.prepare(
			'SELECT t.*, c.name AS customer_name FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id WHERE title = ?'
		)
		.get(title) as
		| (Record<string, unknown> & {
				id: number;
				custom_fields: string;
				custom_fields_schema: string;
				customer_name: string | null;
		  })
		| undefined;
	if (!ticket) return undefined;
	const recipients = db
		.prepare('SELECT email, role FROM ticket_recipients WHERE ticket_id = ?')
		.all(ticket.id) as { email: string; role: string }[];
	return { ...ticket, recipients };
}
