// In the browser, `$lib/paraglide/messages.js` resolves to this module (see vite.config.ts):
// instead of every message in every language compiled into the page's JavaScript, the page
// names its language's messages file (app.html, `<link id="portal-messages">`, see
// $lib/server/i18n/page-messages), `loadMessages` fetches it before the page hydrates
// (hooks.client.ts) and `m.key(inputs)` formats from it. Same call sites, same results; the
// public pages' JavaScript stays within its budget and the messages are cached, not resent
// with every page.
import type { BrowserMessage } from './browser-message';

type Inputs = Record<string, unknown>;
let catalog: Record<string, BrowserMessage> = {};

/**
 * Fetches the page's messages (the preloaded file: no second request). Throws when they cannot
 * be had: the page then stays as the server rendered it, whose forms work without JavaScript,
 * rather than hydrating with message keys for text.
 */
export async function loadMessages(): Promise<void> {
	const href = document.getElementById('portal-messages')?.getAttribute('href');
	if (!href) return;
	const res = await fetch(href);
	if (!res.ok) throw new Error(`messages: ${res.status} for ${href}`);
	catalog = await res.json();
}

const fill = (text: string, v: Inputs) => text.replace(/\{(\w+)\}/g, (_, k) => String(v[k] ?? ''));

export const m = new Proxy({} as Record<string, (v?: Inputs) => string>, {
	get:
		(_, key: string) =>
		(v: Inputs = {}) => {
			const x = catalog[key];
			if (x === undefined) return key;
			if (typeof x === 'string') return fill(x, v);
			const n = Number(v[x.$]);
			return fill(x[new Intl.PluralRules(document.documentElement.lang).select(n)] ?? x.other, v);
		}
});
