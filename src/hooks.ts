import { deLocalizeUrl } from '$lib/paraglide/runtime.js';
import type { Reroute } from '@sveltejs/kit';

// Paraglide's SvelteKit hook. Without the URL strategy no path carries a locale, so this maps
// every path to itself: URLs (a mailed thread link included) never change with the language.
export const reroute: Reroute = (request) => deLocalizeUrl(request.url).pathname;
