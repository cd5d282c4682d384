import { z } from 'zod';
import { reporterEmail } from './ticket';

/** Staff: the address whose data to export or erase. */
export const personSchema = z.object({ email: reporterEmail });

/** Staff: erase, after the confirmation step named what will be erased. */
export const eraseSchema = z.object({
	email: reporterEmail,
	confirm: z.literal('yes', { message: 'Tick the box to confirm the erasure.' })
});
