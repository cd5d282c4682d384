import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/app';
import { clearPortalCookie } from '$lib/server/portal/handle';
import { takeDataLimit } from '$lib/server/portal/data';
import { addressOf } from '$lib/server/privacy';
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	const me = locals.portal;
	if (!me) redirect(303, '/tickets/login');
	setHeaders({ 'cache-control': 'no-store' });
	const counts = await app().privacy.preview(addressOf(me));
	return {
		address: me.email ?? null,
		counts: counts ?? { tickets: 0, messages: 0, files: 0 }
	};
};

export const actions: Actions = {
	/**
	 * Deletes the signed-in person's data (the staff's erasure: placeholders, files removed, links
	 * revoked, every portal session ended), then signs this browser out. Only a POST with the box
	 * ticked does anything.
	 */
	erase: async ({ locals, request, cookies, setHeaders }) => {
		const me = locals.portal;
		if (!me) redirect(303, '/tickets/login');
		const data = await request.formData();
		if (data.get('confirm') !== 'yes') return fail(400, { error: m.data_delete_required() });
		const limit = await takeDataLimit(
			app().privacy,
			'erase',
			{ me, clientKey: locals.clientKey },
			app().log
		);
		if (!limit.ok) {
			setHeaders({ 'Retry-After': String(limit.retryAfterSec) });
			return fail(429, { error: limit.message });
		}
		await app().privacy.eraseData(addressOf(me), { kind: 'recipient', id: null });
		clearPortalCookie(cookies, app().config.secure);
		redirect(303, '/tickets/data/erased');
	}
};
