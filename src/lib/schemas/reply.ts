import { z } from 'zod';
import { displayName, LIMITS } from './ticket';

export const replySchema = z.object({
	name: displayName,
	body: z
		.string()
		.trim()
		.min(1, 'Write a message before sending.')
		.max(LIMITS.message, `Keep the message under ${LIMITS.message} characters.`)
});

export type ReplyForm = z.infer<typeof replySchema>;
