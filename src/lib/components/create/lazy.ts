import { lazy } from '$lib/components/lazy.svelte';

/** TemplatePicker and CustomField, loaded when the chosen ticket type has a template. */
export const templateParts = lazy(() => import('./template-parts'));

await templateParts.beforeHydration('#template-hint, [name^="cf_"]');
