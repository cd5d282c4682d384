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
	if (!recipient || recipient.revoked_at !== null) return undefined;
	if (!verifySplitToken(secret, purpose, token, recipient.token_version)) return undefined;
	return recipient;
}
