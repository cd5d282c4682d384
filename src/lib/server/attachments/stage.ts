import { limitProblem, type UploadLimits } from '$lib/shared/attachment-limits';
import { randomToken } from '$lib/server/tokens';
import { detectType, IMAGE_TYPES, typeLabel } from './detect';
import { sanitizeName } from './names';
import { GIF_FRAME_BUDGET, gifScreen } from './gif';
import { sharp } from './sharp';
import type { AttachmentStorage } from './storage';

/** A file written and flushed to storage, not yet referenced by any row. */
export interface Staged {
	key: string;
	name: string;
	mime: string;
	size: number;
	sha256: string;
	/** Whether sharp will make a thumbnail and display copy after the commit. */
	image: boolean;
}

/** A refusal users can act on: status, one sentence, and when to retry if that helps. */
export interface Refusal {
	ok: false;
	status: 413 | 415 | 429;
	message: string;
	retryAfterSec?: number;
}

export interface Policy {
	limits: UploadLimits;
	allowed: ReadonlySet<string>;
	maxPixels: number;
}

/** The files of a form field, without the empty File a blank file input sends. */
export function filesFrom(formData: FormData, field = 'files'): File[] {
	return formData.getAll(field).filter((v): v is File => typeof v !== 'string' && v.size > 0);
}

/**
 * Checks the count and sizes, writes each file under a generated key (flushed to disk), detects
 * its type from its bytes and refuses types off the allowlist and images over the pixel limit.
 * On a refusal nothing stays on disk.
 */
export async function stage(
	storage: AttachmentStorage,
	files: File[],
	policy: Policy
): Promise<{ ok: true; staged: Staged[] } | Refusal> {
	const problem = limitProblem(files, policy.limits);
	if (problem) return { ok: false, status: 413, message: problem };
	const staged: Staged[] = [];
	try {
		for (const file of files) {
			const key = randomToken(16);
			const name = sanitizeName(file.name);
			// Counted while writing too: a File's size is what the parser saw, the bytes are what we keep.
			const { size, sha256 } = await storage.write(key, file.stream());
			staged.push({ key, name, mime: 'application/octet-stream', size, sha256, image: false });
			const refusal = limitProblem(staged, policy.limits);
			if (refusal)
				return await refuse(storage, staged, { ok: false, status: 413, message: refusal });
			// Type and pixel checks read a local copy (the file itself on disk, a download from S3).
			const local = await storage.local(key);
			let mime: string;
			let pixels: Awaited<ReturnType<typeof imagePixels>> = null;
			try {
				mime = await detectType(local.path);
				if (policy.allowed.has(mime) && IMAGE_TYPES.has(mime))
					pixels = await imagePixels(local.path, mime);
			} finally {
				await local.release();
			}
			if (!policy.allowed.has(mime)) {
				return await refuse(storage, staged, {
					ok: false,
					status: 415,
					message: `“${name}” is ${typeLabel(mime)}, which can’t be attached. Try a PDF, an image or a text file.`
				});
			}
			const last = staged[staged.length - 1];
			last.mime = mime;
			if (IMAGE_TYPES.has(mime)) {
				const mp = Math.floor(policy.maxPixels / 1_000_000);
				if (pixels !== null && pixels.count > policy.maxPixels) {
					return await refuse(storage, staged, {
						ok: false,
						status: 413,
						message: `“${name}” is ${pixels.width} × ${pixels.height} pixels; images can have at most ${mp} megapixels.`
					});
				}
				if (pixels !== null && pixels.count * pixels.frames > policy.maxPixels * GIF_FRAME_BUDGET) {
					return await refuse(storage, staged, {
						ok: false,
						status: 413,
						message: `“${name}” has ${pixels.frames} frames of ${pixels.width} × ${pixels.height} pixels; an animation can have at most ${mp * GIF_FRAME_BUDGET} megapixels in all its frames together.`
					});
				}
				last.image = pixels !== null;
			}
		}
		await storage.sync();
		return { ok: true, staged };
	} catch (e) {
		await discard(storage, staged);
		throw e;
	}
}

/** Removes staged files (a refused or failed request). */
export async function discard(storage: AttachmentStorage, staged: Staged[]): Promise<void> {
	await Promise.all(staged.map((s) => storage.remove(s.key).catch(() => undefined)));
}

async function refuse(
	storage: AttachmentStorage,
	staged: Staged[],
	refusal: Refusal
): Promise<Refusal> {
	await discard(storage, staged);
	return refusal;
}

/**
 * Width × height (and frames) from the image header only (no pixels are decoded, so a 20000 ×
 * 20000 "pixel flood" costs nothing). A GIF counts at the larger of what its header claims and
 * what its frames say. Null when sharp cannot read the header: stored as a plain download.
 */
async function imagePixels(
	path: string,
	mime: string
): Promise<{ width: number; height: number; count: number; frames: number } | null> {
	try {
		const m = await sharp(path, { limitInputPixels: false, pages: 1 }).metadata();
		let width = m.width;
		let height = m.pageHeight ?? m.height;
		const screen = mime === 'image/gif' ? await gifScreen(path) : null;
		if (screen && screen.width * screen.height > width * height) ({ width, height } = screen);
		return { width, height, count: width * height, frames: Math.max(1, m.pages ?? 1) };
	} catch {
		return null;
	}
}
