import type { Conn } from '$lib/server/db';
import type { Project } from '$lib/server/db/schema';
import type { Logger } from '$lib/server/log';
import { REPLY_PREFIX } from '$lib/server/notifications/compose';
import * as recipients from '$lib/server/recipients';
import * as threads from '$lib/server/threads';
import { selectorOf } from '$lib/server/tokens';

/** What an address delivered to stands for. */
export type Target =
	| { kind: 'reply'; address: string; thread: threads.Thread }
	| { kind: 'project'; address: string; project: Project };

/** The plain lower-case `local@domain` of an envelope address (`<a@b>`, `a@b`), else null. */
export function normalize(address: string): string | null {
	const a = address.trim().replace(/^<|>$/g, '').trim().toLowerCase();
	const at = a.lastIndexOf('@');
	if (at < 1 || at === a.length - 1 || /[\s<>]/.test(a)) return null;
	return a;
}

/** Keys and aliases: lower-case letters, digits, dots and dashes; never the reply prefix. */
export const LOCAL_NAME = /^[a-z0-9][a-z0-9.-]{0,63}$/;

/**
 * Resolves one address of `domain`: `reply+{token}` to the live recipient it names (purpose
 * `reply-mail`: a thread link's token is not a reply address), `{key}` or `{alias}` to a project.
 * A refused reply token is logged with its reason, never answered differently.
 */
export async function resolve(
	db: Conn,
	o: { secret: Uint8Array; domain: string; log: Logger },
	address: string
): Promise<Target | null> {
	const a = normalize(address);
	if (!a) return null;
	const at = a.lastIndexOf('@');
	const local = a.slice(0, at);
	if (a.slice(at + 1) !== o.domain) return null;
	if (local.startsWith(REPLY_PREFIX)) {
		const token = local.slice(REPLY_PREFIX.length);
		const selector = selectorOf(token);
		if (!selector) {
			o.log.info({ reason: 'malformed reply token' }, 'inbound: refused a recipient');
			return null;
		}
		const recipient = await recipients.findByToken(db, o.secret, 'reply-mail', token);
		if (!recipient) {
			// The selector is a public id, not the secret half: safe to log for tracing.
			o.log.info(
				{ reason: 'unknown, forged, re-issued or revoked reply token', selector },
				'inbound: refused a recipient'
			);
			return null;
		}
		return { kind: 'reply', address: a, thread: await threads.threadOf(db, recipient) };
	}
	if (!LOCAL_NAME.test(local)) return null;
	const project = await db
		.selectFrom('projects')
		.selectAll()
		.where((eb) => eb.or([eb('key', '=', local), eb('mail_alias', '=', local)]))
		.orderBy('id')
		.executeTakeFirst();
	return project ? { kind: 'project', address: a, project } : null;
}
