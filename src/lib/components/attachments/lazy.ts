import { lazy } from '$lib/components/lazy.svelte';

/** The attachment list (thumbnails, download links): loaded for threads that have files. */
export const attachmentList = lazy(() => import('./AttachmentList.svelte').then((m) => m.default));

await attachmentList.beforeHydration('.attachments');
