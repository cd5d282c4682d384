import { lazy } from '$lib/components/lazy.svelte';

/** The "Email me about new answers" notice: only for link holders who turned mail off. */
export const emailsOff = lazy(() => import('./EmailsOff.svelte').then((m) => m.default));

await emailsOff.beforeHydration('.emails');

/** "Did this solve it?": only on a resolved ticket's page, for its reporter. */
export const csatAsk = lazy(() => import('../csat/CsatAsk.svelte').then((m) => m.default));

await csatAsk.beforeHydration('.csat-ask');
