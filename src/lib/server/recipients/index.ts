import type { Conn } from '$lib/server/db';
import type { Recipient } from '$lib/server/db/schema';
import { selectorOf, verifySplitToken, type SplitPurpose } from '$lib/server/tokens';

/**
 * The recipient a split token (`selector.verifier`) names for this purpose. Unknown, malformed,
 * re-issued (old version) and revoked tokens all give undefined, so callers answer the same 404.
 */
export async function findByToken(
	db: Conn,
	secret: Uint8Array,
	purpose: SplitPurpose,
	token: string
): Promise<Recipient | undefined> {
	const selector = selectorOf(token);
	if (!selector) return undefined;
	const recipient = await db
		.selectFrom('ticket_recipients')
		.selectAll()
		.where('public_id', '=', selector)
		.executeTakeFirst();
	return recipient && tokenOpens(secret, purpose, token, recipient) ? recipient : undefined;
}

/**
 * Whether `token` opens this recipient's link for `purpose`: the link is not revoked and the
 * token carries the current version with the right HMAC (constant-time). Every lookup by a
 * split token ends here, whatever else it reads in the same statement.
 */
export function tokenOpens(
	secret: Uint8Array,
	purpose: SplitPurpose,
	token: string,
	recipient: Pick<Recipient, 'revoked_at' | 'token_version'>
): boolean {
	return (
		recipient.revoked_at === null &&
		verifySplitToken(secret, purpose, token, recipient.token_version)
	);
}
