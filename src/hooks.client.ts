import { loadMessages } from '$lib/i18n/client-messages';
import type { ClientInit } from '@sveltejs/kit';

// The page hydrates once its language's messages are here (fetched since the page's head).
export const init: ClientInit = loadMessages;
