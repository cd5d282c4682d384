import type { ParamMatcher } from '@sveltejs/kit';
import { isLocale } from '$lib/paraglide/runtime.js';

/** A shipped language (`en`, `de`, …): the internal prerendered docs, see routes/doc-lang. */
export const match = ((param: string): param is string => isLocale(param)) satisfies ParamMatcher;
