// Loaded on demand by PowCheck (never on the create page's first load): solves an ALTCHA v2
// challenge in Web Workers from the `altcha` package, so typing never waits for it.
import ShaWorker from 'altcha/workers/sha?worker';
import type { PowText } from '$lib/shared/public-text';

interface Solution {
	counter: number;
	derivedKey: string;
}

/** How long solving may take before "Checking your browser…" shows. */
const MOMENT_MS = 800;

/** Solves `challenge` in workers and returns the field value the server expects (base64 JSON). */
export async function solve(challenge: unknown, signal: AbortSignal): Promise<string> {
	const n = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 4));
	const workers = Array.from({ length: n }, () => new ShaWorker());
	try {
		const solution = await new Promise<Solution>((resolve, reject) => {
			signal.addEventListener('abort', () => reject(new Error('aborted')));
			workers.forEach((w, i) => {
				w.onmessage = (e: MessageEvent) => {
					if (e.data && typeof e.data.counter === 'number') resolve(e.data);
					else reject(new Error(e.data?.error ? String(e.data.error) : 'not solved'));
				};
				w.onerror = () => reject(new Error('worker failed'));
				// Each worker tries every n-th counter, starting at its own offset.
				w.postMessage({
					type: 'work',
					challenge,
					counterStart: i,
					counterStep: n,
					timeout: 90_000
				});
			});
		});
		return btoa(JSON.stringify({ challenge, solution }));
	} finally {
		for (const w of workers) w.terminate();
	}
}

/**
 * Runs the check in `box` (PowCheck's element: the hidden `pow` input, the no-JS notice and a
 * status line): solves the challenge and fills in the input. A submit before the solution is in
 * waits for it, then sends the form. Returns a function that stops it all.
 */
export function attach(box: HTMLElement, challenge: unknown, text: PowText): () => void {
	const field = box.querySelector<HTMLInputElement>('input[name="pow"]')!;
	const status = box.querySelector<HTMLElement>('[role="status"]')!;
	const notice = box.querySelector<HTMLElement>('[data-nojs]');
	if (notice) notice.hidden = true;
	const say = (t: string) => (status.textContent = t);
	const form = field.form;
	const controller = new AbortController();
	let done = false;
	let failed = false;
	field.value = '';
	say('');
	const slow = setTimeout(() => say(text.checking), MOMENT_MS);
	const pending = solve(challenge, controller.signal).then(
		(payload) => {
			field.value = payload;
			done = true;
		},
		() => {
			failed = !controller.signal.aborted;
			if (failed) say(text.failed);
		}
	);
	pending.then(() => {
		clearTimeout(slow);
		if (done) say('');
	});
	const early = (e: SubmitEvent) => {
		if (done || failed) return;
		e.preventDefault();
		e.stopImmediatePropagation();
		say(text.checking);
		pending.then(
			() => done && form?.requestSubmit((e.submitter as HTMLElement | null) ?? undefined)
		);
	};
	form?.addEventListener('submit', early, { capture: true });
	return () => {
		controller.abort();
		clearTimeout(slow);
		form?.removeEventListener('submit', early, { capture: true });
	};
}
