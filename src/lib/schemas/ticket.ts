import { m } from '$lib/paraglide/messages.js';
import { z } from 'zod';

// Messages are functions: zod calls them when it reports, in the request's language.
const say = (message: () => string) => ({ error: message });

/**
 * Reporter email, strictly: one plain address (no display name, quoted local part, comment or
 * line break), so it can be put in a header as is.
 */
export const reporterEmail = z
	.string(say(m.form_email_required))
	.trim()
	.min(1, say(m.form_email_required))
	.max(254, say(m.form_email_long))
	.pipe(z.email(say(m.form_email_invalid)));

/** Optional display name: one line. */
export const displayName = z
	.string()
	.trim()
	.max(
		100,
		say(() => m.form_name_long({ max: 100 }))
	)
	.refine((v) => !/[\r\n]/.test(v), say(m.form_name_line))
	.optional()
	.default('');

export const LIMITS = {
	title: 200,
	description: 20_000,
	message: 20_000
} as const;

export const messageTooLong = say(() => m.form_message_long({ max: LIMITS.message }));

/** The fixed part of the public create form; template fields are added per request. */
export const createTicketSchema = z.object({
	email: reporterEmail,
	name: displayName,
	title: z
		.string()
		.trim()
		.min(
			3,
			say(() => m.form_title_short({ min: 3 }))
		)
		.max(
			LIMITS.title,
			say(() => m.form_title_long({ max: LIMITS.title }))
		),
	description: z
		.string()
		.trim()
		.min(1, say(m.form_description_required))
		.max(
			LIMITS.description,
			say(() => m.form_description_long({ max: LIMITS.description }))
		),
	type: z.string().trim().min(1, say(m.form_type_required)).max(64),
	message: z.string().trim().max(LIMITS.message, messageTooLong).optional().default('')
});

export type CreateTicketForm = z.infer<typeof createTicketSchema>;

export { HONEYPOT } from '$lib/shared/form-names';
