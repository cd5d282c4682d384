import { lazy } from '$lib/components/lazy.svelte';

/** The "Email me about new answers" notice: only for link holders who turned mail off. */
export const emailsOff = lazy(() => import('./EmailsOff.svelte').then((m) => m.default));

await emailsOff.beforeHydration('.emails');
