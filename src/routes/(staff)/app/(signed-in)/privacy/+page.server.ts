import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import { eraseSchema, personSchema } from '$lib/schemas/privacy';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

const firstError = (issues: { message: string }[]) => issues[0]?.message ?? 'Check the address.';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const p = app().config.privacy;
	return { limits: { exportPerHour: p.export.points, erasePerHour: p.erase.points } };
};

export const actions: Actions = {
	/** The confirmation step: what erasing the address would change. */
	preview: async (event) => {
		requireAdmin(event);
		const data = Object.fromEntries(await event.request.formData());
		const parsed = personSchema.safeParse(data);
		if (!parsed.success)
			return fail(400, { email: String(data.email ?? ''), error: firstError(parsed.error.issues) });
		const preview = await app().privacy.preview(parsed.data.email);
		return { email: parsed.data.email, preview };
	},
	erase: async (event) => {
		const me = requireAdmin(event);
		const data = Object.fromEntries(await event.request.formData());
		const parsed = eraseSchema.safeParse(data);
		if (!parsed.success) {
			const email = String(data.email ?? '');
			const preview = personSchema.safeParse({ email }).success
				? await app().privacy.preview(email)
				: null;
			return fail(400, { email, preview, error: firstError(parsed.error.issues) });
		}
		const limit = await app().privacy.limits.take('erase', {
			sessionId: event.locals.session?.id ?? null,
			clientKey: event.locals.clientKey
		});
		if (!limit.ok) {
			event.setHeaders({ 'Retry-After': String(limit.retryAfterSec) });
			app().log.warn({ by: 'staff', action: 'erase' }, 'privacy rate limit');
			return fail(429, { email: parsed.data.email, error: limit.message });
		}
		const summary = await app().privacy.eraseData(parsed.data.email, { kind: 'staff', id: me.id });
		return { erased: { email: parsed.data.email, ...summary! } };
	}
};
