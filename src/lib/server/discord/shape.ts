import { z } from 'zod';
import type { Interaction } from './interactions';

const user = z.looseObject({
	id: z.string(),
	username: z.string().optional(),
	global_name: z.string().nullable().optional()
});

/**
 * The parts of an interaction the portal reads, checked before use: a signed body of another
 * shape (null, options that are not a list, null entries) is refused with 400 instead of
 * failing somewhere inside. Unknown fields Discord adds are kept and ignored.
 */
export const interactionSchema = z.looseObject({
	type: z.number().int(),
	guild_id: z.string().optional(),
	member: z.looseObject({ user: user.optional() }).optional(),
	user: user.optional(),
	data: z
		.looseObject({
			name: z.string().optional(),
			options: z
				.array(z.looseObject({ name: z.string(), value: z.unknown().optional() }))
				.optional(),
			custom_id: z.string().optional(),
			components: z
				.array(
					z.looseObject({
						components: z
							.array(
								z.looseObject({ custom_id: z.string().optional(), value: z.unknown().optional() })
							)
							.optional()
					})
				)
				.optional()
		})
		.optional()
});

/** The interaction in a verified body, or null when it is not JSON of the expected shape. */
export function parseInteraction(raw: string): Interaction | null {
	let json: unknown;
	try {
		json = JSON.parse(raw);
	} catch {
		return null;
	}
	const parsed = interactionSchema.safeParse(json);
	return parsed.success ? parsed.data : null;
}
