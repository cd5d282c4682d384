import type Database from 'better-sqlite3';
import type { OpenDb } from '$lib/server/db';
import { app } from '$lib/server/app';
import type { Config } from '$lib/server/config';
import { createLimiters, retryIn } from '$lib/server/rate-limit';
import { hashToken } from '$lib/server/tokens';

type Name = 'create-client' | 'create-email' | 'create-global';

export type CreateLimitOutcome =
	| { ok: true }
	| {
			ok: false;
			name: Name;
			retryAfterSec: number;
			/** A human sentence for the reporter. */ message: string;
	  };

const REASONS: Record<Name, string> = {
	'create-client': 'Too many tickets were opened from your network recently.',
	'create-email': 'Too many tickets were opened for this email address recently.',
	'create-global': 'The portal is receiving too many new tickets right now.'
};

/**
 * Limits on public ticket creation: per client (IPv4 address or IPv6 /64), per reporter email (so
 * the form cannot mail-bomb someone) and for the whole install. With a SQLite handle the counters
 * survive a restart.
 */
export function createTicketLimits(limits: Config['createLimits'], sqlite?: Database.Database) {
	const durationSec = limits.windowSec;
	const limiters = createLimiters<Name>(
		{
			'create-client': { points: limits.perClient, durationSec },
			'create-email': { points: limits.perEmail, durationSec },
			'create-global': { points: limits.global, durationSec }
		},
		sqlite
	);
	return {
		/**
		 * Takes one creation from each budget, narrowest first, and stops at the first refusal (so
		 * one noisy client does not use up the global budget).
		 */
		async take(input: { clientKey: string; email: string }): Promise<CreateLimitOutcome> {
			// The address is hashed so the counters table holds no plain email addresses.
			const email = hashToken(input.email.trim().toLowerCase()).slice(0, 32);
			const outcome = await limiters.takeAll([
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
				message: `${REASONS[name]} ${retryIn(outcome.retryAfterSec)}`
			};
		}
	};
}

export type TicketLimits = ReturnType<typeof createTicketLimits>;

// Keyed by the open database (not its SQLite handle, which PostgreSQL has none of).
let current: { limits: TicketLimits; database: OpenDb } | undefined;

/** The running app's creation limits, built on first use from its config and database. */
export function ticketLimits(): TicketLimits {
	const { config, database } = app();
	if (current?.database !== database) {
		current = {
			limits: createTicketLimits(config.createLimits, database.sqlite),
			database
		};
	}
	return current.limits;
}
