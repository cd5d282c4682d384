import type { Conn } from '$lib/server/db';
import { createSetupToken, hasStaff } from './accounts';

/** A fresh one-hour setup URL that creates an admin account. */
export async function setupUrl(
	db: Conn,
	origin: string
): Promise<{ url: string; expiresAt: number }> {
	const { token, expiresAt } = await createSetupToken(db, { purpose: 'setup' });
	return { url: `${origin}/setup/${token}`, expiresAt };
}

/**
 * On start-up with no staff account: prints a one-time setup URL on stdout (whatever LOG_LEVEL
 * says, since it is the only way in). `npm run portal -- setup-link` prints a fresh one.
 */
export async function printSetupLinkIfNoStaff(db: Conn, origin: string): Promise<void> {
	if (await hasStaff(db)) return;
	const { url } = await setupUrl(db, origin);
	console.log(
		`No staff account exists yet. Create the first admin within 1 hour at:\n  ${url}\n(npm run portal -- setup-link prints a fresh link.)`
	);
}
