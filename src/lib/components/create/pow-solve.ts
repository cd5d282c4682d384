// Loaded on demand by PowCheck (never on the create page's first load): solves an ALTCHA v2
// challenge in Web Workers from the `altcha` package, so typing never waits for it.
import ShaWorker from 'altcha/workers/sha?worker';

interface Solution {
	counter: number;
	derivedKey: string;
}

/** Solves `challenge` and returns the field value the server expects (base64 JSON). */
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
