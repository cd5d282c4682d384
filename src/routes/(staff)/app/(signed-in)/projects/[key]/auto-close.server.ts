import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import * as projects from '$lib/server/projects';
import { setDays } from '$lib/server/tickets/auto-close';
import { error } from '@sveltejs/kit';
import { fail, message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { z } from 'zod';
import type { RequestEvent } from './$types';

/** "Resolve tickets waiting on the reporter after N days"; 0 = off. */
export const autoCloseSchema = z.object({
	days: z.coerce
		.number({ message: 'Enter a number of days.' })
		.int('Enter a whole number of days.')
		.min(0, 'Enter 0 (off) or more days.')
		.max(365, 'At most 365 days.')
});

export async function autoCloseSettings(days: number | null) {
	return superValidate({ days: days ?? 0 }, zod4(autoCloseSchema), {
		errors: false,
		id: 'auto-close'
	});
}

export const autoCloseActions = {
	autoClose: async (event: RequestEvent) => {
		requireAdmin(event);
		const p = await projects.findByKey(app().db, event.params.key);
		if (!p) error(404, 'Page not found');
		const form = await superValidate(event.request, zod4(autoCloseSchema), { id: 'auto-close' });
		if (!form.valid) return fail(400, { form });
		const days = form.data.days || null;
		await setDays(app().db, p.id, days);
		return message(
			form,
			days
				? `Tickets waiting on the reporter are resolved after ${days} day${days === 1 ? '' : 's'}.`
				: 'Auto-close is off.'
		);
	}
};
