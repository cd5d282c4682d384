import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';

/** Upload limits a public form shows and checks in the browser (the server checks them again). */
export interface UploadLimits {
	maxFiles: number;
	/** One file. */
	maxFileBytes: number;
	/** All files of one request together. */
	maxBytes: number;
}

// French writes octets (Ko, Mo); the others the usual KB, MB.
const UNITS: Record<string, string[]> = { fr: ['Ko', 'Mo', 'Go'], other: ['KB', 'MB', 'GB'] };

/** "850 KB", "3.2 MB", "3,2 Mo": sizes as people read them (1 KB = 1024 bytes), per language. */
export function formatBytes(bytes: number, locale: string = getLocale()): string {
	if (bytes < 1024) return m.attach_bytes({ count: bytes }, { locale: locale as 'en' });
	const units = UNITS[locale] ?? UNITS.other;
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	const shown =
		value >= 10 || Number.isInteger(value) ? Math.round(value) : Math.round(value * 10) / 10;
	// One decimal at most: only the separator differs (a comma outside English).
	return `${locale === 'en' ? shown : String(shown).replace('.', ',')} ${units[unit]}`;
}

/** "Up to 5 files, 10 MB in total." — the limits in one sentence. */
export function limitsText(l: UploadLimits): string {
	const count = l.maxFiles;
	if (l.maxFileBytes >= l.maxBytes)
		return m.attach_limits_total({ count, total: formatBytes(l.maxBytes) });
	if (l.maxFileBytes * l.maxFiles <= l.maxBytes)
		return m.attach_limits_each({ count, each: formatBytes(l.maxFileBytes) });
	return m.attach_limits_both({
		count,
		each: formatBytes(l.maxFileBytes),
		total: formatBytes(l.maxBytes)
	});
}

/**
 * The first limit a set of files breaks, as a sentence, or null. Used by the picker in the
 * browser and by the server, so both say the same thing.
 */
export function limitProblem(
	files: { name: string; size: number }[],
	l: UploadLimits
): string | null {
	if (files.length > l.maxFiles) {
		return m.attach_too_many({ chosen: files.length, max: l.maxFiles });
	}
	const big = files.find((f) => f.size > l.maxFileBytes);
	if (big) {
		return m.attach_too_big({
			name: big.name,
			size: formatBytes(big.size),
			max: formatBytes(l.maxFileBytes)
		});
	}
	const total = files.reduce((sum, f) => sum + f.size, 0);
	if (total > l.maxBytes) {
		return m.attach_too_much({ total: formatBytes(total), max: formatBytes(l.maxBytes) });
	}
	return null;
}

/** Limits as a picker gets them: with the sentence already said (no formatting code in pages). */
export interface PickerLimits extends UploadLimits {
	hint: string;
}

/** The limits for a page's attachment picker, with `limitsText` said on the server. */
export const pickerLimits = (l: UploadLimits): PickerLimits => ({ ...l, hint: limitsText(l) });
