import { z } from 'zod';

/** Staff workflow forms: assignee, tags, round-robin, the assigned-reply mail setting. */

/** 0 = nobody. */
export const assignSchema = z.object({ assignee: z.coerce.number().int().min(0).default(0) });

export const tagSchema = z.object({
	tag: z.string().trim().min(1, 'Enter a tag.').max(40, 'Keep a tag under 41 characters.')
});

export const roundRobinSchema = z.object({
	agents: z.array(z.coerce.number().int().positive()).max(200).default([])
});

export const notifyAssignedSchema = z.object({ on: z.boolean().default(false) });
