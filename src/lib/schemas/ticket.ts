import { z } from 'zod';

/**
 * Reporter email, strictly: one plain address (no display name, quoted local part, comment or
 * line break), so it can be put in a header as is.
 */
export const reporterEmail = z
	.string({ message: 'Enter your email address.' })
	.trim()
	.min(1, 'Enter your email address.')
	.max(254, 'That email address is too long.')
	.pipe(z.email({ message: 'Enter an email address like name@example.com.' }));

/** Optional display name: one line. */
export const displayName = z
	.string()
	.trim()
	.max(100, 'Keep the name under 100 characters.')
	.refine((v) => !/[\r\n]/.test(v), 'The name must be on one line.')
	.optional()
	.default('');

export const LIMITS = {
	title: 200,
	description: 20_000,
	message: 20_000
} as const;

/** The fixed part of the public create form; template fields are added per request. */
export const createTicketSchema = z.object({
	email: reporterEmail,
	name: displayName,
	title: z
		.string()
		.trim()
		.min(3, 'Give the ticket a title of at least 3 characters.')
		.max(LIMITS.title, `Keep the title under ${LIMITS.title} characters.`),
	description: z
		.string()
		.trim()
		.min(1, 'Describe what you need help with.')
		.max(LIMITS.description, `Keep the description under ${LIMITS.description} characters.`),
	type: z.string().trim().min(1, 'Choose a ticket type.').max(64),
	message: z
		.string()
		.trim()
		.max(LIMITS.message, `Keep the message under ${LIMITS.message} characters.`)
		.optional()
		.default('')
});

export type CreateTicketForm = z.infer<typeof createTicketSchema>;

export { HONEYPOT } from '$lib/shared/form-names';
