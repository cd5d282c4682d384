import { m } from '$lib/paraglide/messages.js';
import { z } from 'zod';
import { displayName, LIMITS, messageTooLong } from './ticket';

export const replySchema = z.object({
	name: displayName,
	body: z
		.string()
		.trim()
		.min(1, { error: () => m.form_reply_required() })
		.max(LIMITS.message, messageTooLong)
});

export type ReplyForm = z.infer<typeof replySchema>;
