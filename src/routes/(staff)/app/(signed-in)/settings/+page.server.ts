import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import * as staff from '$lib/server/staff';
import { idSchema } from '$lib/schemas/staff';
import { fail, message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const { config, db } = app();
	return {
		limits: staff.limitsOf(config),
		mail: {
			transport: config.smtpUrl ? 'SMTP' : `.eml files in ${config.mailDir}`,
			from: config.mailFrom,
			origin: config.origin,
			inbound: inboundOf(config)
		},
		outbox: await staff.recentMail(db)
	};
};

/** Reply by email as configured, in words (read-only; set by INBOUND_* variables). */
function inboundOf(config: ReturnType<typeof app>['config']): string {
	const i = config.inbound;
	if (!i.domain) return 'Reply by email is off (INBOUND_DOMAIN is unset).';
	const how = [
		i.smtp
			? `${i.smtp.lmtp ? 'LMTP' : 'SMTP'} listener on ${i.smtp.host}:${i.smtp.port}${i.smtp.tls ? ' with STARTTLS' : ''}`
			: null,
		i.imap ? 'an IMAP mailbox' : null
	].filter(Boolean);
	const limit = (l: { points: number; durationSec: number }) =>
		l.points ? `${l.points} per ${l.durationSec} s` : 'no limit';
	return `Replies go to reply+…@${i.domain}, received by ${how.join(' and ') || 'no receiver yet'}. Mails to project addresses per sender: ${limit(i.senderLimit)}; notices per sender: ${limit(i.noticeLimit)}.`;
}

export const actions: Actions = {
	retry: async (event) => {
		requireAdmin(event);
		const form = await superValidate(event.request, zod4(idSchema));
		if (!form.valid) return fail(400, { form });
		const ok = await staff.retryMail(app().db, form.data.id);
		return ok
			? message(form, 'Queued again.')
			: message(form, 'Only failed mail can be retried.', { status: 400 });
	}
};
