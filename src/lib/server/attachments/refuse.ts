import { fail } from 'sveltekit-superforms';
import type { Refusal } from './stage';

/**
 * A form action's answer to a refused upload: the status (413/415/429), `Retry-After` when
 * waiting helps, and the sentence as `upload` next to the form data, so what was typed is kept.
 */
export function refuseUpload<T extends Record<string, unknown>>(
	r: Refusal,
	setHeaders: (h: Record<string, string>) => void,
	data: T
) {
	if (r.retryAfterSec) setHeaders({ 'retry-after': String(r.retryAfterSec) });
	return fail(r.status, { ...data, upload: r.message });
}
