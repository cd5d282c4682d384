import { z } from 'zod';

/** Thrown for a bad setting; its message is one line a self-hoster can act on. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** An optional whole-number variable ≥ `min`; unset or blank gives `def`. */
export const int = (name: string, def: number, min = 0) =>
	z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v.trim() === '') return def;
			const n = Number(v);
			if (!Number.isInteger(n) || n < min) {
				ctx.addIssue({ code: 'custom', message: `${name} must be a whole number ≥ ${min}` });
				return z.NEVER;
			}
			return n;
		});

export const MB = 1024 * 1024;
