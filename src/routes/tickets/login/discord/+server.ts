import { app } from '$lib/server/app';
import * as portal from '$lib/server/portal';
import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** "Sign in with Discord": off to Discord's consent screen, state and verifier in a cookie. */
export const GET: RequestHandler = ({ cookies }) => {
	const { config } = app();
	if (!portal.discordSignInEnabled(config.discord)) error(404, 'Page not found');
	const { url, cookie } = portal.beginDiscordSignIn(config.discord, config.origin);
	cookies.set(portal.OAUTH_COOKIE, cookie, {
		path: portal.OAUTH_COOKIE_PATH,
		httpOnly: true,
		sameSite: 'lax',
		secure: config.secure,
		maxAge: 600
	});
	redirect(302, url);
};
