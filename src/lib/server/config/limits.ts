import { z } from 'zod';
import { int } from './env';

/** Public abuse limits: tickets and replies per window; 0 turns a limit off. */
export const createLimitsEnv = z.object({
	CREATE_LIMIT_PER_CLIENT: int('CREATE_LIMIT_PER_CLIENT', 10),
	CREATE_LIMIT_PER_EMAIL: int('CREATE_LIMIT_PER_EMAIL', 5),
	CREATE_LIMIT_GLOBAL: int('CREATE_LIMIT_GLOBAL', 300),
	CREATE_LIMIT_WINDOW_SEC: int('CREATE_LIMIT_WINDOW_SEC', 3600, 1),
	REPLY_LIMIT_PER_TOKEN: int('REPLY_LIMIT_PER_TOKEN', 30),
	REPLY_LIMIT_WINDOW_SEC: int('REPLY_LIMIT_WINDOW_SEC', 3600, 1)
});

/** Limits on creating tickets and on replies per thread link. */
export function createLimitsConfig(e: z.infer<typeof createLimitsEnv>) {
	return {
		createLimits: {
			perClient: e.CREATE_LIMIT_PER_CLIENT,
			perEmail: e.CREATE_LIMIT_PER_EMAIL,
			global: e.CREATE_LIMIT_GLOBAL,
			windowSec: e.CREATE_LIMIT_WINDOW_SEC
		},
		threads: {
			replyLimit: { points: e.REPLY_LIMIT_PER_TOKEN, durationSec: e.REPLY_LIMIT_WINDOW_SEC }
		}
	};
}

/** Sign-in, My tickets, a person's data and proof-of-work limits (0 = no limit). */
export const accessLimitsEnv = z.object({
	// Staff sign-in: attempts allowed per 15 minutes, failed or not (0 = no limit).
	LOGIN_LIMIT_PER_EMAIL: int('LOGIN_LIMIT_PER_EMAIL', 10),
	LOGIN_LIMIT_PER_CLIENT: int('LOGIN_LIMIT_PER_CLIENT', 30),
	// My tickets: mailed sign-ins per address and per client in a window (0 = no limit).
	PORTAL_SIGNIN_LIMIT_PER_EMAIL: int('PORTAL_SIGNIN_LIMIT_PER_EMAIL', 5),
	PORTAL_SIGNIN_LIMIT_PER_CLIENT: int('PORTAL_SIGNIN_LIMIT_PER_CLIENT', 20),
	PORTAL_SIGNIN_LIMIT_WINDOW_SEC: int('PORTAL_SIGNIN_LIMIT_WINDOW_SEC', 900, 1),
	// A person's data: exports and erasures per session and per client per hour (0 = no limit).
	DATA_EXPORT_LIMIT_PER_HOUR: int('DATA_EXPORT_LIMIT_PER_HOUR', 10),
	// Proof-of-work on the create form (pow/): tickets per client and hour before it is asked
	// (0 = only projects set to "always"), and the difficulty range (counter values to search).
	SPAM_POW_AFTER: int('SPAM_POW_AFTER', 3),
	SPAM_POW_MIN_NUMBER: int('SPAM_POW_MIN_NUMBER', 50_000, 1),
	SPAM_POW_MAX_NUMBER: int('SPAM_POW_MAX_NUMBER', 1_000_000, 1),
	SPAM_POW_EXPIRE_SEC: int('SPAM_POW_EXPIRE_SEC', 300, 10),
	DATA_ERASE_LIMIT_PER_HOUR: int('DATA_ERASE_LIMIT_PER_HOUR', 5)
});

/** Staff and My tickets sign-in limits, proof-of-work, export and erasure limits. */
export function accessLimitsConfig(e: z.infer<typeof accessLimitsEnv>) {
	return {
		staff: {
			loginPerEmail: e.LOGIN_LIMIT_PER_EMAIL,
			loginPerClient: e.LOGIN_LIMIT_PER_CLIENT,
			loginWindowSec: 900
		},
		portal: {
			signInPerEmail: e.PORTAL_SIGNIN_LIMIT_PER_EMAIL,
			signInPerClient: e.PORTAL_SIGNIN_LIMIT_PER_CLIENT,
			signInWindowSec: e.PORTAL_SIGNIN_LIMIT_WINDOW_SEC
		},
		pow: {
			after: e.SPAM_POW_AFTER,
			minNumber: Math.min(e.SPAM_POW_MIN_NUMBER, e.SPAM_POW_MAX_NUMBER),
			maxNumber: e.SPAM_POW_MAX_NUMBER,
			expireSec: e.SPAM_POW_EXPIRE_SEC
		},
		privacy: {
			export: { points: e.DATA_EXPORT_LIMIT_PER_HOUR, durationSec: 3600 },
			erase: { points: e.DATA_ERASE_LIMIT_PER_HOUR, durationSec: 3600 }
		}
	};
}
