import { m } from '$lib/paraglide/messages.js';
import type { Config } from '$lib/server/config';
import { createLimiters, type LimitBackend, retryIn } from '$lib/server/rate-limit';
import { hashToken } from '$lib/server/tokens';

type Name = 'create-client' | 'create-email' | 'create-global';

export type CreateLimitOutcome =
	| { ok: true; /** Gives the creation back: no ticket was created. */ release(): Promise<void> }
	| {
			ok: false;
			name: Name;
			retryAfterSec: number;
			/** A human sentence for the reporter. */ message: string;
	  };

const REASONS: Record<Name, () => string> = {
	'create-client': m.limit_create_client,
	'create-email': m.limit_create_email,
	'create-global': m.limit_create_global
};

/**
 * Limits on public ticket creation: per client (IPv4 address or IPv6 /64), per reporter email (so
 * the form cannot mail-bomb someone) and for the whole install. With a SQLite handle the counters
 * survive a restart.
 */
export function createTicketLimits(limits: Config['createLimits'], store?: LimitBackend) {
	const durationSec = limits.windowSec;
	const limiters = createLimiters<Name>(
		{
			'create-client': { points: limits.perClient, durationSec },
			'create-email': { points: limits.perEmail, durationSec },
			'create-global': { points: limits.global, durationSec }
		},
		store
	);
	return {
		/**
		 * Reserves one creation from each budget, narrowest first, and stops at the first refusal
		 * (so one noisy client does not use up the global budget). A refusal costs nothing; a
		 * reservation whose ticket is not created after all (its upload refused, a failed commit)
		 * must be given back with `release()`, so only tickets actually created count.
		 */
		async take(input: { clientKey: string; email: string }): Promise<CreateLimitOutcome> {
			// The address is hashed so the counters table holds no plain email addresses.
			const email = hashToken(input.email.trim().toLowerCase()).slice(0, 32);
			const outcome = await limiters.reserve([
				['create-client', input.clientKey],
				['create-email', email],
				['create-global', '*']
			]);
			if (outcome.ok) return outcome;
			const name = outcome.name as Name;
			return {
				ok: false,
				name,
				retryAfterSec: outcome.retryAfterSec,
				message: `${REASONS[name]()} ${retryIn(outcome.retryAfterSec)}`
			};
		}
	};
}

export type TicketLimits = ReturnType<typeof createTicketLimits>;
