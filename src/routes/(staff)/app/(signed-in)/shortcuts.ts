/**
 * Single-key shortcuts for staff pages, as a Svelte action on any element (the listener is on
 * the window). A key is ignored while typing in a field, with Ctrl/Alt/Meta held, or when
 * something else already handled it, so shortcuts never eat a typed letter.
 */
export function shortcuts(_node: HTMLElement, keys: Record<string, (e: KeyboardEvent) => void>) {
	let current = keys;
	const onKey = (e: KeyboardEvent) => {
		if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
		const t = e.target as HTMLElement | null;
		if (t?.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]'))
			return;
		const run = current[e.key];
		if (!run) return;
		run(e);
	};
	window.addEventListener('keydown', onKey);
	return {
		update(next: Record<string, (e: KeyboardEvent) => void>) {
			current = next;
		},
		destroy() {
			window.removeEventListener('keydown', onKey);
		}
	};
}
