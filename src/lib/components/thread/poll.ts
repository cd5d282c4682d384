/**
 * Calls `check` every `everyMs` while the page is visible, not at all while it is hidden, and at
 * once when it becomes visible again. `check` returning false stops polling (e.g. a revoked
 * link). Returns a function that stops it.
 */
export function pollWhileVisible(
	check: () => Promise<boolean | void>,
	everyMs = 60_000
): () => void {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let running = false;
	let stopped = false;

	function schedule() {
		clearTimeout(timer);
		timer = stopped || document.hidden ? undefined : setTimeout(run, everyMs);
	}

	async function run() {
		if (running || stopped) return;
		running = true;
		try {
			if ((await check()) === false) stop();
		} catch {
			// Offline or a server hiccup: try again at the next tick.
		} finally {
			running = false;
		}
		schedule();
	}

	function onVisibility() {
		if (document.hidden) clearTimeout(timer);
		else run();
	}

	function stop() {
		stopped = true;
		clearTimeout(timer);
		document.removeEventListener('visibilitychange', onVisibility);
	}

	document.addEventListener('visibilitychange', onVisibility);
	schedule();
	return stop;
}

/**
 * Runs `update` (which adds content above `anchor`) and keeps `anchor` where it was on screen,
 * so a reader of the reply form isn't pushed around. Browsers with CSS scroll anchoring already
 * do this; the measurement then finds nothing to correct.
 */
export async function keepInPlace(anchor: Element | undefined, update: () => Promise<void>) {
	const before = anchor?.getBoundingClientRect().top;
	await update();
	if (!anchor || before === undefined || before > window.innerHeight) return;
	const moved = anchor.getBoundingClientRect().top - before;
	if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
}
