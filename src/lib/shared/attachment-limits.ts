/** Upload limits a public form shows and checks in the browser (the server checks them again). */
export interface UploadLimits {
	maxFiles: number;
	/** One file. */
	maxFileBytes: number;
	/** All files of one request together. */
	maxBytes: number;
}

/** "850 KB", "3.2 MB": sizes as people read them (1 KB = 1024 bytes). */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
	const units = ['KB', 'MB', 'GB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	const shown =
		value >= 10 || Number.isInteger(value) ? Math.round(value) : Math.round(value * 10) / 10;
	return `${shown} ${units[unit]}`;
}

/** "Up to 5 files, 10 MB in total." — the limits in one sentence. */
export function limitsText(l: UploadLimits): string {
	const files = `Up to ${l.maxFiles} file${l.maxFiles === 1 ? '' : 's'}`;
	if (l.maxFileBytes >= l.maxBytes) return `${files}, ${formatBytes(l.maxBytes)} in total.`;
	if (l.maxFileBytes * l.maxFiles <= l.maxBytes)
		return `${files}, ${formatBytes(l.maxFileBytes)} each.`;
	return `${files}, ${formatBytes(l.maxFileBytes)} each, ${formatBytes(l.maxBytes)} in total.`;
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
		return `You chose ${files.length} files; you can attach up to ${l.maxFiles} at once.`;
	}
	const big = files.find((f) => f.size > l.maxFileBytes);
	if (big) {
		return `“${big.name}” is ${formatBytes(big.size)}; each file can be at most ${formatBytes(l.maxFileBytes)}.`;
	}
	const total = files.reduce((sum, f) => sum + f.size, 0);
	if (total > l.maxBytes) {
		return `The files add up to ${formatBytes(total)}; you can send up to ${formatBytes(l.maxBytes)} at once.`;
	}
	return null;
}

/** Limits as a picker gets them: with the sentence already said (no formatting code in pages). */
export interface PickerLimits extends UploadLimits {
	hint: string;
}

/** The limits for a page's attachment picker, with `limitsText` said on the server. */
export const pickerLimits = (l: UploadLimits): PickerLimits => ({ ...l, hint: limitsText(l) });
