// In the browser, `$lib/paraglide/messages.js` resolves to this module (see vite.config.ts):
// instead of every message in every language compiled into the page's JavaScript, the server
// writes the messages of the page's language into the HTML as JSON (app.html, #portal-messages,
// see $lib/server/i18n/page-messages), and `m.key(inputs)` formats them from there. Same call
// sites, same results; the public pages' JavaScript stays within its budget.
import type { BrowserMessage } from './browser-message';

type Inputs = Record<string, unknown>;
let catalog: Record<string, BrowserMessage> | undefined;

const fill = (text: string, v: Inputs) => text.replace(/\{(\w+)\}/g, (_, k) => String(v[k] ?? ''));

export const m = new Proxy({} as Record<string, (v?: Inputs) => string>, {
	get:
		(_, key: string) =>
		(v: Inputs = {}) => {
			catalog ??= JSON.parse(document.getElementById('portal-messages')?.textContent || '{}');
			const x = catalog![key];
			if (x === undefined) return key;
			if (typeof x === 'string') return fill(x, v);
			const n = Number(v[x.$]);
			return fill(x[new Intl.PluralRules(document.documentElement.lang).select(n)] ?? x.other, v);
		}
});
