import { z } from 'zod';

/** A saved reply as admins edit it; project '' = every project, id 0 = a new one. */
export const savedReplySchema = z.object({
	id: z.coerce.number().int().min(0).default(0),
	project: z.string().max(64).default(''),
	title: z
		.string()
		.trim()
		.min(1, 'Enter a title.')
		.max(120, 'Keep the title under 120 characters.'),
	body: z
		.string()
		.trim()
		.min(1, 'Enter the reply text.')
		.max(20_000, 'Keep the text under 20,000 characters.')
});
