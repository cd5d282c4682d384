import { z } from 'zod';
import { fieldKinds } from '$lib/shared/field-kinds';
import { LIMITS, reporterEmail } from './ticket';

/** Staff-side form schemas (dashboard). */

const email = reporterEmail;
const name = z
	.string()
	.trim()
	.min(1, 'Enter a name.')
	.max(100, 'Keep the name under 100 characters.');

export const setupSchema = z.object({
	email,
	name,
	password: z
		.string()
		.min(12, 'Use at least 12 characters.')
		.max(200, 'Keep the password under 200 characters.')
});

export const loginSchema = z.object({
	email,
	password: z.string().min(1, 'Enter your password.').max(200),
	next: z.string().max(500).optional().default('')
});

export const messageSchema = z.object({
	body: z
		.string()
		.trim()
		.min(1, 'Write a message before sending.')
		.max(LIMITS.message, `Keep it under ${LIMITS.message} characters.`)
});

export const statusSchema = z.object({
	status: z.enum(['open', 'waiting', 'resolved', 'rejected'])
});
export const typeSchema = z.object({ type: z.string().trim().min(1, 'Choose a type.').max(64) });
export const recipientSchema = z.object({
	email,
	name: z.string().trim().max(100).optional().default('')
});
export const recipientActionSchema = z.object({ recipient: z.string().regex(/^[a-z2-7]{16}$/) });
export const idSchema = z.object({ id: z.coerce.number().int().positive() });

export const projectSchema = z.object({
	key: z
		.string()
		.trim()
		.toLowerCase()
		.regex(
			/^[a-z0-9][a-z0-9-]{0,63}$/,
			'Use lower-case letters, digits and dashes (it is part of public URLs).'
		),
	name: z.string().trim().min(1, 'Enter a name.').max(100),
	description: z.string().trim().max(500).optional().default(''),
	defaultType: z.string().trim().max(64).optional().default(''),
	enforcedTemplate: z.coerce.number().int().min(0).optional().default(0),
	anonymous: z.boolean().default(false)
});

export const projectSettingsSchema = projectSchema.omit({ key: true }).extend({
	/** Reply by email: `{alias}@INBOUND_DOMAIN` opens tickets too; '' = only the key's address. */
	mailAlias: z
		.string()
		.trim()
		.toLowerCase()
		.max(64)
		.regex(
			/^$|^(?!reply\+)[a-z0-9][a-z0-9.-]{0,63}$/,
			'Use lower-case letters, digits, dots and dashes, e.g. billing.'
		)
		.optional()
		.default(''),
	/** Off: the project's tickets are left out of reporters' "My tickets". */
	portal: z.boolean().default(false),
	/** Ask reporters "Did this solve it?" after each resolve. */
	csat: z.boolean().default(false),
	/** Proof-of-work on the create form: never, above SPAM_POW_AFTER tickets per client, always. */
	powMode: z.enum(['off', 'auto', 'always']).default('auto')
});

export const ticketTypeSchema = z.object({
	key: z
		.string()
		.trim()
		.toLowerCase()
		.regex(/^[a-z][a-z0-9-]{0,47}$/, 'Use lower-case letters, digits and dashes.'),
	name: z.string().trim().min(1, 'Enter a name.').max(60),
	description: z.string().trim().max(200).optional().default('')
});

export const templateSchema = z.object({
	name: z.string().trim().min(1, 'Enter a name.').max(100),
	description: z.string().trim().max(500).optional().default(''),
	selectable: z.boolean().default(false)
});

export { fieldKinds };

export const fieldSchema = z.object({
	key: z
		.string()
		.trim()
		.regex(/^[a-z][a-z0-9_]{0,47}$/, 'Start with a letter; use lower-case letters, digits and _.'),
	label: z.string().trim().min(1, 'Enter a label.').max(100),
	help: z.string().trim().max(300).optional().default(''),
	kind: z.enum(fieldKinds),
	visibility: z.enum(['public', 'hidden', 'readonly']).default('public'),
	required: z.boolean().default(false),
	/** The default as typed: text, a number, "true"/"false", or comma-separated values for multiselect. */
	defaultValue: z.string().trim().max(1000).optional().default(''),
	/** One option per line: `value` or `value | Label`. */
	options: z.string().max(5000).optional().default(''),
	min: z.string().trim().max(20).optional().default(''),
	max: z.string().trim().max(20).optional().default(''),
	pattern: z.string().trim().max(200).optional().default(''),
	position: z.coerce.number().int().min(0).max(1000).default(0)
});

export const bindingSchema = z.object({
	type: z.string().trim().max(64).optional().default(''),
	template: z.coerce.number().int().positive('Choose a template.')
});

export const customerSchema = z.object({
	name: z.string().trim().min(1, 'Enter a name.').max(120),
	email: z
		.union([z.literal(''), email])
		.optional()
		.default(''),
	notes: z.string().trim().max(2000).optional().default('')
});

export const intakeSchema = z.object({
	project: z.string().trim().min(1, 'Choose a project.').max(64),
	days: z.coerce.number().int().min(1, 'At least 1 day.').max(365, 'At most 365 days.').default(30)
});

export const inviteSchema = z.object({
	email: z
		.union([z.literal(''), email])
		.optional()
		.default(''),
	role: z.enum(['agent', 'admin']).default('agent')
});

export const watchSchema = z.object({
	project: z.string().trim().min(1).max(64),
	watch: z.boolean().default(false)
});

export const inboxFilterSchema = z.object({
	q: z.string().trim().max(200).optional().default(''),
	project: z.string().trim().max(64).optional().default(''),
	status: z.enum(['', 'active', 'open', 'waiting', 'resolved', 'rejected']).catch('').default(''),
	type: z.string().trim().max(64).optional().default(''),
	customer: z.coerce.number().int().min(0).catch(0).default(0),
	view: z.enum(['', 'mine', 'unassigned']).catch('').default(''),
	tag: z.string().trim().max(40).catch('').default(''),
	page: z.coerce.number().int().min(1).catch(1).default(1)
});

export const passwordChangeSchema = z
	.object({
		current: z.string().min(1, 'Enter your current password.').max(200),
		password: z
			.string()
			.min(12, 'Use at least 12 characters.')
			.max(200, 'Keep the password under 200 characters.'),
		confirm: z.string().max(200)
	})
	.refine((v) => v.password === v.confirm, {
		message: 'The two new passwords differ.',
		path: ['confirm']
	});

/** Link a ticket to a customer by id; 0 unlinks it. */
export const ticketCustomerSchema = z.object({
	customer: z.coerce.number().int().min(0).default(0)
});
