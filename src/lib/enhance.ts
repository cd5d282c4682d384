import type { SubmitFunction } from '@sveltejs/kit';

/**
 * Kit's `use:enhance`, loaded on first use: the first focus inside the form fetches it (about
 * 1 KB gzip that a visitor who only reads never pays for), and a submit that comes before it
 * arrived waits for it and is then sent the enhanced way. If it cannot load (offline for a
 * moment), the browser posts the form itself.
 */
export function enhance(form: HTMLFormElement, submit: SubmitFunction = () => {}) {
	let current = submit;
	let kit: { destroy(): void } | undefined;
	let loading: Promise<void> | undefined;
	let waiting = false;
	let destroyed = false;
	const load = () =>
		(loading ??= import('$app/forms').then((m) => {
			if (!destroyed) kit = m.enhance(form, (input) => current(input));
		}));
	function early(event: SubmitEvent) {
		if (kit) return; // Kit's own listener (added after this one) takes it from here
		event.preventDefault();
		if (waiting) return;
		waiting = true;
		const submitter = event.submitter;
		load().then(
			() => {
				waiting = false;
				if (!destroyed) form.requestSubmit(submitter);
			},
			() => {
				waiting = false;
				loading = undefined;
				form.removeEventListener('submit', early);
				form.requestSubmit(submitter);
				form.addEventListener('submit', early);
			}
		);
	}
	const warm = () => void load().catch(() => (loading = undefined));
	form.addEventListener('submit', early);
	form.addEventListener('focusin', warm, { once: true });
	return {
		update(next: SubmitFunction = () => {}) {
			current = next;
		},
		destroy() {
			destroyed = true;
			form.removeEventListener('submit', early);
			form.removeEventListener('focusin', warm);
			kit?.destroy();
		}
	};
}

/**
 * The smooth path for public forms, with Kit's own `enhance` (superforms' client would add
 * ~12 KB gzip; zod never ships). Tracks "sending", keeps what was typed on failure, and moves
 * focus to the first invalid field or the form's alert.
 */
export function smoothSubmit(
	state: { sending: boolean },
	options: { /** Clear the form after a successful submit. */ reset?: boolean } = {}
): SubmitFunction {
	return () => {
		state.sending = true;
		return async ({ formElement, result, update }) => {
			state.sending = false;
			await update({ reset: options.reset ?? false, invalidateAll: result.type !== 'failure' });
			if (result.type === 'failure' || result.type === 'error') {
				const target = formElement.querySelector<HTMLElement>(
					'[aria-invalid="true"], [role="alert"]'
				);
				target?.focus();
			}
		};
	};
}
