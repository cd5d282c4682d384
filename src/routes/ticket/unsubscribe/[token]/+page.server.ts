import { app } from '$lib/server/app';
import * as subscriptions from '$lib/server/notifications/subscriptions';
import { pageLocale } from '$lib/server/i18n';
import { m } from '$lib/paraglide/messages.js';
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

// GET renders the same page for any token without looking it up, so a mail scanner prefetching
// the link changes nothing and learns nothing: its language is the visitor's (cookie >
// Accept-Language > English), never the recipient's.
export const load: PageServerLoad = (event) => ({ lang: pageLocale(event) });

export const actions: Actions = {
	/**
	 * Unsubscribes (the page's scripted POST, its no-JS button, and the RFC 8058 one-click POST
	 * whose body is `List-Unsubscribe=One-Click`), or resubscribes with `intent=resubscribe`.
	 * Idempotent. A bad token is a 404.
	 */
	default: async ({ request, params }) => {
		let intent: FormDataEntryValue | null = null;
		try {
			intent = (await request.formData()).get('intent');
		} catch {
			// An unparsable body is treated as a plain unsubscribe.
		}
		const { db, secret } = app();
		const recipient = await subscriptions.findByToken(db, secret, params.token);
		if (!recipient) error(404, m.unsub_invalid());
		const s =
			intent === 'resubscribe'
				? await subscriptions.resubscribe(db, recipient)
				: await subscriptions.unsubscribe(db, recipient);
		return {
			subscribed: s.subscribed,
			email: s.recipient.channel === 'email' ? s.recipient.email : null,
			project: s.projectName
		};
	}
};
