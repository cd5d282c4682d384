import { browser } from '$app/environment';

/**
 * Code a page needs only for some of its content (attachment lists, template fields), loaded on
 * first use instead of with every page. `current` is the module once it arrived; reading it
 * before starts loading it, and the content shows once the code is there (e.g. a polled message
 * with files, a ticket type with a template).
 */
export function lazy<M>(load: () => Promise<M>) {
	let ready = $state.raw<M>();
	let loading: Promise<M> | undefined;
	const preload = () =>
		(loading ??= load().then(
			(m) => (ready = m),
			(err) => {
				loading = undefined; // offline for a moment: the next use tries again
				throw err;
			}
		));
	return {
		preload,
		get current(): M | undefined {
			if (!ready) preload().catch(() => {});
			return ready;
		},
		/**
		 * For a module's top-level `await`: the server always renders with the code; in the browser
		 * it is fetched before the page hydrates only when the server's markup already shows such
		 * content (`selector`), so hydration finds the same markup. Everything else loads on use.
		 */
		async beforeHydration(selector: string) {
			if (browser && !document.querySelector(selector)) return;
			await preload().catch(() => {});
		}
	};
}
