// The attachment picker's work once a file is chosen: loaded on the first choice, with the
// preview list, not with the page.
import { limitProblem, type UploadLimits } from '$lib/shared/attachment-limits';
import type { Chosen } from './previews';

export { default as FilePreviews } from './FilePreviews.svelte';

const watched = new WeakSet<HTMLInputElement>();

/**
 * What the input holds now (object URLs kept for files already shown), and the first limit
 * broken. `resync` runs again after the form is reset (e.g. after a reply was sent).
 */
export function choose(
	input: HTMLInputElement,
	before: Chosen[],
	limits: UploadLimits,
	resync: () => void
) {
	if (!watched.has(input)) {
		watched.add(input);
		input.form?.addEventListener('reset', () => queueMicrotask(resync));
	}
	const files = [...(input.files ?? [])];
	const chosen = files.map(
		(file) =>
			before.find((c) => c.file === file) ?? {
				file,
				url: /^image\//.test(file.type) ? URL.createObjectURL(file) : null
			}
	);
	for (const c of before) if (c.url && !chosen.includes(c)) URL.revokeObjectURL(c.url);
	const problem = limitProblem(files, limits);
	// Blocks submitting (with the browser's own bubble) until the choice fits the limits.
	input.setCustomValidity(problem ?? '');
	return { chosen, problem };
}

/** Takes one file out of the input. */
export function drop(input: HTMLInputElement, chosen: Chosen[], index: number) {
	const dt = new DataTransfer();
	chosen.forEach((c, i) => i !== index && dt.items.add(c.file));
	input.files = dt.files;
}

/** Frees the previews' object URLs (the picker is gone). */
export function release(chosen: Chosen[]) {
	for (const c of chosen) if (c.url) URL.revokeObjectURL(c.url);
}
