import { app } from '$lib/server/app';
import * as discord from '$lib/server/discord';
import { parseInteraction } from '$lib/server/discord/shape';
import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Interactions are small; anything bigger is not from Discord. */
const MAX_BODY = 64 * 1024;

// Discord's HTTP interactions endpoint. JSON and signed, so the form CSRF guard does not apply;
// the Ed25519 signature over timestamp + raw body is the authentication.
export const POST: RequestHandler = async ({ request }) => {
	const { config, db, secret, limits, log } = app();
	const key = config.discord.publicKey;
	if (!config.discord.enabled || !key) error(404, 'Not found');
	if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY) error(413, 'Too large');
	const raw = await request.text();
	if (raw.length > MAX_BODY) error(413, 'Too large');
	const ok = discord.verifyInteraction(
		key,
		request.headers.get('x-signature-ed25519'),
		request.headers.get('x-signature-timestamp'),
		raw
	);
	if (!ok)
		return new Response('invalid request signature', {
			status: 401,
			headers: { 'content-type': 'text/plain' }
		});
	// Signed is not the same as well-formed: anything of another shape is a clean 400.
	const interaction = parseInteraction(raw);
	if (!interaction) error(400, 'Bad request: not an interaction of a known shape');
	const outcome = await discord.handle(
		{
			db,
			secret,
			origin: config.origin,
			limits: limits.discord,
			formTtlMs: config.discord.formTtlSec * 1000
		},
		interaction
	);
	if (outcome.created) log.info({ source: 'discord' }, 'ticket created from Discord');
	return json(outcome.response, { headers: { 'cache-control': 'no-store' } });
};
