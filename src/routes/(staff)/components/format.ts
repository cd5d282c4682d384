import { day } from '$lib/shared/time';

/** A day like "Nov 26, 2026" (UTC), for expiry dates on staff pages. */
export const date = (ms: number) => day(ms);
