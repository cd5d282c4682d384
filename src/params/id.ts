import type { ParamMatcher } from '@sveltejs/kit';

/** A row id in a URL: a positive integer without sign, leading zeros or exponent. */
export const match = ((param: string): param is string =>
	/^[1-9][0-9]*$/.test(param) && Number.isSafeInteger(Number(param))) satisfies ParamMatcher;
