import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/app';
import { pageLocale } from '$lib/server/i18n';
import * as portal from '$lib/server/portal';
import { clearPortalCookie } from '$lib/server/portal/handle';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

const FILTERS = ['all', 'open', 'waiting', 'resolved'] as const;

export const load: PageServerLoad = async (event) => {
	const { locals, url } = event;
	const lang = pageLocale(event);
	const me = locals.portal;
	if (!me) redirect(303, '/tickets/login');
	const raw = url.searchParams.get('status') ?? 'all';
	const status = (FILTERS as readonly string[]).includes(raw)
		? (raw as portal.StatusFilter)
		: 'all';
	const q = (url.searchParams.get('q') ?? '').slice(0, 200);
	const page = Math.min(
		10_000,
		Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1') || 1)
	);
	const who = me.email ? { email: me.email } : { discordUserId: me.discordUserId! };
	const list = await portal.myTickets(
		app().db,
		{ origin: app().config.origin, secret: app().secret },
		who,
		{ status, q, page }
	);
	return {
		status,
		q,
		// Words in the reader's language come from the server, which chose it: the page needs no
		// message runtime in the browser.
		labels: { data: m.data_link() },
		lang,
		...list
	};
};

export const actions: Actions = {
	/** Ends this session; back to the create page it came from, if any. */
	signout: async ({ locals, cookies, request }) => {
		if (locals.portal) await portal.endPortalSession(app().db, locals.portal.sessionId);
		clearPortalCookie(cookies, app().config.secure);
		const next = (await request.formData()).get('next');
		// Only a create page path: never an open redirect.
		const back = typeof next === 'string' && /^\/ticket\/[a-z0-9-]{1,64}$/.test(next);
		redirect(303, back ? next : '/tickets/login');
	},
	/** Ends every session of this person, on every device. */
	everywhere: async ({ locals, cookies }) => {
		const me = locals.portal;
		if (me) {
			await portal.endPortalSessions(
				app().db,
				me.email ? { email: me.email } : { discordUserId: me.discordUserId! }
			);
		}
		clearPortalCookie(cookies, app().config.secure);
		redirect(303, '/tickets/login');
	}
};
