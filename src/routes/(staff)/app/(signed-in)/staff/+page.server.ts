import { app } from '$lib/server/app';
import * as auth from '$lib/server/auth';
import { requireAdmin } from '$lib/server/auth/guard';
import { refused } from '$lib/server/http/refused';
import { idSchema, inviteSchema } from '$lib/schemas/staff';
import { fail, message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const me = requireAdmin(event);
	return {
		meId: me.id,
		staff: await auth.listStaff(app().db),
		invites: await auth.listInvites(app().db),
		form: await superValidate(zod4(inviteSchema), { errors: false })
	};
};

export const actions: Actions = {
	invite: async (event) => {
		const user = requireAdmin(event);
		const form = await superValidate(event.request, zod4(inviteSchema));
		if (!form.valid) return fail(400, { form });
		const { token, expiresAt } = await auth.createSetupToken(app().db, {
			purpose: 'invite',
			role: form.data.role,
			email: form.data.email || null,
			createdBy: user.id
		});
		const url = `${app().config.origin}/setup/${token}`;
		return message(form, {
			text: `Invitation for ${form.data.email || 'a new ' + form.data.role}, valid until ${new Date(expiresAt).toUTCString()}.`,
			url
		});
	},
	revokeInvite: async (event) => {
		requireAdmin(event);
		const form = await superValidate(event.request, zod4(idSchema));
		if (!form.valid) return fail(400, { form });
		await auth.revokeInvite(app().db, form.data.id);
		return message(form, 'Invitation withdrawn.');
	},
	disable: (event) => toggle(event, true),
	enable: (event) => toggle(event, false)
};

/** Disables (signing them out everywhere) or re-enables a staff account. */
async function toggle(event: Parameters<Actions[string]>[0], disabled: boolean) {
	const actor = requireAdmin(event);
	const form = await superValidate(event.request, zod4(idSchema));
	if (!form.valid) return fail(400, { form });
	try {
		await auth.setDisabled(app().db, { actor, userId: form.data.id, disabled });
	} catch (err) {
		return refused(form, err);
	}
	return message(form, disabled ? 'Account disabled and signed out.' : 'Account enabled.');
}
