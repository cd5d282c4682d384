import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { randomToken } from '$lib/server/tokens';

/** What "Sign in with Discord" needs from the configuration. */
export interface DiscordOAuthConfig {
	applicationId: string | null;
	clientSecret: string | null;
	apiBase: string;
}

/** The OAuth2 flow's own cookie: state and PKCE verifier, for ten minutes. */
export const OAUTH_COOKIE = 'tickets_discord_oauth';
export const OAUTH_COOKIE_PATH = '/tickets/login/discord';
const TIMEOUT_MS = 10_000;
const encoder = new TextEncoder();

/** Whether "Sign in with Discord" can be offered (an application id and its client secret). */
export function discordSignInEnabled(c: DiscordOAuthConfig): boolean {
	return Boolean(c.applicationId && c.clientSecret);
}

export function callbackUrl(origin: string): string {
	return `${origin}${OAUTH_COOKIE_PATH}/callback`;
}

/**
 * Starts the authorization-code flow with PKCE (S256) and scope `identify`: the URL to send the
 * browser to, and the cookie value (state and verifier) the callback checks.
 */
export function beginDiscordSignIn(c: DiscordOAuthConfig, origin: string) {
	const state = randomToken();
	const verifier = randomToken(32); // 52 characters of [a-z2-7]: a valid PKCE verifier
	const challenge = encodeBase64urlNoPadding(sha256(encoder.encode(verifier)));
	const params = new URLSearchParams({
		response_type: 'code',
		client_id: c.applicationId ?? '',
		scope: 'identify',
		state,
		redirect_uri: callbackUrl(origin),
		code_challenge: challenge,
		code_challenge_method: 'S256'
	});
	return { url: `${c.apiBase}/oauth2/authorize?${params}`, cookie: `${state}.${verifier}` };
}

/**
 * Finishes the flow: checks the returned state against the cookie's (constant time), trades the
 * code and verifier for an access token and asks `/users/@me` who signed in. Null for a forged
 * or stale callback or any refusal by Discord.
 */
export async function finishDiscordSignIn(
	c: DiscordOAuthConfig,
	origin: string,
	input: { code: string | null; state: string | null; cookie: string | undefined }
): Promise<{ id: string; name: string } | null> {
	const [state, verifier] = (input.cookie ?? '').split('.');
	if (!state || !verifier || !input.code || !input.state) return null;
	const a = encoder.encode(state);
	const b = encoder.encode(input.state);
	if (a.length !== b.length || !constantTimeEqual(a, b)) return null;
	const basic = Buffer.from(`${c.applicationId}:${c.clientSecret}`).toString('base64');
	const tokenRes = await fetch(`${c.apiBase}/oauth2/token`, {
		method: 'POST',
		headers: {
			authorization: `Basic ${basic}`,
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({
			grant_type: 'authorization_code',
			code: input.code,
			redirect_uri: callbackUrl(origin),
			code_verifier: verifier
		}),
		signal: AbortSignal.timeout(TIMEOUT_MS)
	});
	if (!tokenRes.ok) return null;
	const token = (await tokenRes.json()) as { access_token?: string; scope?: string };
	if (!token.access_token) return null;
	const meRes = await fetch(`${c.apiBase}/users/@me`, {
		headers: { authorization: `Bearer ${token.access_token}` },
		signal: AbortSignal.timeout(TIMEOUT_MS)
	});
	if (!meRes.ok) return null;
	const me = (await meRes.json()) as { id?: unknown; username?: unknown; global_name?: unknown };
	if (typeof me.id !== 'string' || !/^\d{5,25}$/.test(me.id)) return null;
	const name = typeof me.global_name === 'string' ? me.global_name : String(me.username ?? '');
	return { id: me.id, name };
}
