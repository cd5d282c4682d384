import type { Attachment } from '$lib/server/db/schema';
import { Readable } from 'node:stream';
import { contentDisposition, downloadName, withExtension } from './names';
import type { AttachmentStorage } from './storage';

export type Variant = 'original' | 'display' | 'thumb';

/** `?variant=thumb|display` → a re-encoded copy; anything else the original file. */
export function variantOf(url: URL): Variant {
	const v = url.searchParams.get('variant');
	return v === 'thumb' || v === 'display' ? v : 'original';
}

/** Types a browser may be told as is; anything else (HTML, SVG, XML, scripts…) is octet-stream. */
const LABELLED =
	/^(image\/(jpeg|png|webp|gif|avif)|application\/(pdf|zip|gzip|x-7z-compressed|vnd\.[a-z0-9.+-]+)|video\/(mp4|quicktime|webm)|audio\/(mpeg|mp4))$/;

/**
 * The download response for an attachment: originals always as `attachment`; only the WebP
 * copies sharp re-encoded are `inline`. Every answer is nosniff and sandboxed, never cached
 * by shared caches. Null when the variant does not exist (callers answer 404).
 */
export async function download(
	storage: AttachmentStorage,
	a: Attachment,
	variant: Variant
): Promise<Response | null> {
	let key = a.storage_key;
	let type: string;
	let disposition: string;
	if (variant === 'original') {
		type =
			a.mime === 'text/plain'
				? 'text/plain; charset=utf-8'
				: LABELLED.test(a.mime)
					? a.mime
					: 'application/octet-stream';
		disposition = contentDisposition('attachment', downloadName(a.name, a.mime));
	} else {
		const copy = variant === 'thumb' ? a.thumbnail_key : a.display_key;
		if (!copy) return null;
		key = copy;
		type = 'image/webp';
		disposition = contentDisposition('inline', withExtension(a.name, '.webp'));
	}
	let size: number;
	try {
		size = await storage.size(key);
	} catch {
		return null;
	}
	const body = Readable.toWeb(storage.read(key)) as ReadableStream<Uint8Array>;
	return new Response(body, {
		headers: {
			'Content-Type': type,
			'Content-Length': String(size),
			'Content-Disposition': disposition,
			'X-Content-Type-Options': 'nosniff',
			'Content-Security-Policy':
				"sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
			'Cross-Origin-Resource-Policy': 'same-origin',
			'Cache-Control': 'private, no-store'
		}
	});
}
