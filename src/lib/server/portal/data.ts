import { m } from '$lib/paraglide/messages.js';
import type { Privacy } from '$lib/server/privacy';
import type { PortalLocals } from './session';

/**
 * Takes one download or deletion from the signed-in person's budget (per session and per client,
 * DATA_EXPORT_LIMIT_PER_HOUR / DATA_ERASE_LIMIT_PER_HOUR). A refusal carries a sentence in the
 * reader's language and the seconds for Retry-After; no personal data reaches the log.
 */
export async function takeDataLimit(
	privacy: Pick<Privacy, 'limits'>,
	action: 'export' | 'erase',
	who: { me: PortalLocals; clientKey: string },
	log: { warn(o: object, msg: string): void }
): Promise<{ ok: true } | { ok: false; retryAfterSec: number; message: string }> {
	const outcome = await privacy.limits.take(action, {
		sessionId: who.me.sessionId,
		clientKey: who.clientKey
	});
	if (outcome.ok) return outcome;
	log.warn({ by: 'portal', action }, 'privacy rate limit');
	const minutes = Math.max(1, Math.ceil(outcome.retryAfterSec / 60));
	return { ok: false, retryAfterSec: outcome.retryAfterSec, message: m.data_limit({ minutes }) };
}
