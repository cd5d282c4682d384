import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/app';
import { pageLocale } from '$lib/server/i18n';
import * as portal from '$lib/server/portal';
import { setPortalCookie } from '$lib/server/portal/handle';
import * as threads from '$lib/server/threads';
import { reporterEmail } from '$lib/schemas/ticket';
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

const text = (v: FormDataEntryValue | null) => (typeof v === 'string' ? v : '');

export const load: PageServerLoad = async (event) => {
	if (event.locals.portal) redirect(303, '/tickets');
	return {
		discord: portal.discordSignInEnabled(app().config.discord),
		lang: pageLocale(event)
	};
};

export const actions: Actions = {
	/** Mails a sign-in link and code; the answer is the same for every address. */
	start: async ({ request, locals, setHeaders }) => {
		const data = await request.formData();
		const typed = text(data.get('email'));
		const parsed = reporterEmail.safeParse(typed);
		if (!parsed.success)
			return fail(400, { email: typed, emailError: parsed.error.issues[0].message });
		const email = parsed.data;
		const started = await portal.startSignIn(app().db, app().secret, app().limits.portalSignIn, {
			email,
			clientKey: locals.clientKey,
			locale: locals.locale
		});
		if (!started.ok) {
			setHeaders({ 'Retry-After': String(started.retryAfterSec) });
			return fail(429, { email, limited: started.message });
		}
		return { sent: true, email, signIn: started.signInId };
	},
	/** Signs in with the 6-digit code from the mail (typed on this device). */
	code: async ({ request, cookies }) => {
		const data = await request.formData();
		const email = text(data.get('email')).slice(0, 254);
		const signIn = text(data.get('signIn')).slice(0, 64);
		const result = await portal.redeemCode(app().db, {
			signInId: signIn,
			code: text(data.get('code')).slice(0, 20)
		});
		if (result.ok) {
			setPortalCookie(cookies, result.token, result.expiresAt, app().config.secure);
			redirect(303, '/tickets');
		}
		if (result.reason === 'wrong') {
			return fail(400, {
				sent: true,
				email,
				signIn,
				codeError: m.form_portal_code_wrong({ count: result.triesLeft })
			});
		}
		return fail(400, {
			email,
			ended: result.reason === 'locked' ? m.form_portal_code_locked() : m.form_portal_code_expired()
		});
	},
	/**
	 * "See all your tickets" from a thread page: the thread link (posted, never in a URL) names
	 * the recipient, whose address prefills the form. Nothing is mailed until they confirm.
	 */
	thread: async ({ request }) => {
		const data = await request.formData();
		const thread = await threads.findByToken(app().db, app().secret, text(data.get('thread')));
		const email = thread?.recipient.channel === 'email' ? thread.recipient.email : '';
		return { prefill: email };
	}
};
