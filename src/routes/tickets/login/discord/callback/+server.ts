import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/app';
import * as portal from '$lib/server/portal';
import { setPortalCookie } from '$lib/server/portal/handle';
import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Discord sends the browser back here with a code; the state must match this browser's cookie. */
export const GET: RequestHandler = async ({ cookies, url }) => {
	const { config, db, log } = app();
	if (!portal.discordSignInEnabled(config.discord)) error(404, 'Page not found');
	const cookie = cookies.get(portal.OAUTH_COOKIE);
	cookies.delete(portal.OAUTH_COOKIE, {
		path: portal.OAUTH_COOKIE_PATH,
		httpOnly: true,
		sameSite: 'lax',
		secure: config.secure
	});
	let user: { id: string } | null = null;
	try {
		user = await portal.finishDiscordSignIn(config.discord, config.origin, {
			code: url.searchParams.get('code'),
			state: url.searchParams.get('state'),
			cookie
		});
	} catch (err) {
		log.warn({ err }, 'Discord sign-in failed');
	}
	if (!user) error(400, m.form_portal_discord_failed());
	const { token, session } = await portal.createPortalSession(db, { discordUserId: user.id });
	setPortalCookie(cookies, token, session.expires_at, config.secure);
	redirect(303, '/tickets');
};
