import { DomainError } from '$lib/server/errors';
import {
	message,
	setError,
	type FormPathLeavesWithErrors,
	type SuperValidated
} from 'sveltekit-superforms';

/**
 * Answers a refused domain change on the form it came from, with status 400: the sentence under
 * `field` (or the error's own field), else as the form's message. Anything but a DomainError is
 * rethrown, so a bug still surfaces as one.
 */
export function refused<T extends Record<string, unknown>, M>(
	form: SuperValidated<T, M>,
	err: unknown,
	field?: FormPathLeavesWithErrors<T>
) {
	if (!(err instanceof DomainError)) throw err;
	const target = field ?? (err.field as FormPathLeavesWithErrors<T> | undefined);
	if (target) return setError(form, target, err.message);
	return message(form, err.message as M, { status: 400 });
}
