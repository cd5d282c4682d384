import type { Attachment } from '$lib/server/db/schema';
import { Readable } from 'node:stream';
import { contentDisposition, downloadName, withExtension } from './names';
import type { AttachmentStorage, ByteRange } from './storage';

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
 * `Range: bytes=a-b` / `bytes=a-` / `bytes=-n` against a file of `size` bytes: one range, or
 * 'unsatisfiable', or null (no or unsupported header: the whole file).
 */
export function parseRange(
	header: string | null,
	size: number
): ByteRange | 'unsatisfiable' | null {
	const m = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!m || (m[1] === '' && m[2] === '')) return null;
	let start: number;
	let end: number;
	if (m[1] === '') {
		start = Math.max(0, size - Number(m[2]));
		end = size - 1;
	} else {
		start = Number(m[1]);
		end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
	}
	if (size === 0 || start >= size || end < start) return 'unsatisfiable';
	return { start, end };
}

/**
 * The download response for an attachment: originals always as `attachment`; only the WebP
 * copies sharp re-encoded are `inline`. Every answer is nosniff and sandboxed, never cached
 * by shared caches. A single `Range` is answered with 206 (video seeking, resumed downloads).
 * Null when the variant does not exist (callers answer 404).
 */
export async function download(
	storage: AttachmentStorage,
	a: Attachment,
	variant: Variant,
	rangeHeader: string | null = null
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
	const headers: Record<string, string> = {
		'Content-Type': type,
		'Content-Length': String(size),
		'Content-Disposition': disposition,
		'Accept-Ranges': 'bytes',
		'X-Content-Type-Options': 'nosniff',
		'Content-Security-Policy':
			"sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
		'Cross-Origin-Resource-Policy': 'same-origin',
		'Cache-Control': 'private, no-store'
	};
	const range = parseRange(rangeHeader, size);
	if (range === 'unsatisfiable') {
		headers['Content-Range'] = `bytes */${size}`;
		headers['Content-Length'] = '0';
		return new Response(null, { status: 416, headers });
	}
	if (range) {
		headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
		headers['Content-Length'] = String(range.end - range.start + 1);
	}
	const stream = await storage.read(key, range ?? undefined);
	const body = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
	return new Response(body, { status: range ? 206 : 200, headers });
}
