import type { SubmitFunction } from '@sveltejs/kit';

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
