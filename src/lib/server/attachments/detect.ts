import { fileTypeFromFile } from 'file-type';
import { open } from 'node:fs/promises';

/** Types accepted when UPLOAD_ALLOWED_TYPES is not set: detected types, never names or claims. */
export const DEFAULT_ALLOWED_TYPES = [
	'image/jpeg',
	'image/png',
	'image/webp',
	'image/gif',
	'image/avif',
	'application/pdf',
	'text/plain',
	'application/zip',
	'application/gzip',
	'application/x-7z-compressed',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	'application/vnd.oasis.opendocument.text',
	'application/vnd.oasis.opendocument.spreadsheet',
	'application/vnd.oasis.opendocument.presentation',
	'video/mp4',
	'video/quicktime',
	'video/webm',
	'audio/mpeg',
	'audio/mp4'
];

/** Image types sharp re-encodes into a thumbnail and a display copy. */
export const IMAGE_TYPES = new Set([
	'image/jpeg',
	'image/png',
	'image/webp',
	'image/gif',
	'image/avif'
]);

/** What people call a detected type in a refusal. */
const LABELS: Record<string, string> = {
	'text/html': 'a web page (HTML)',
	'image/svg+xml': 'an SVG image',
	'application/octet-stream': 'an unknown binary file'
};

export function typeLabel(mime: string): string {
	return LABELS[mime] ?? mime;
}

/**
 * The file's type from its content: file-type's magic bytes, else a look at the first 8 KB —
 * markup (HTML/SVG/XML) is reported as such so it can be refused, valid UTF-8 without NUL bytes
 * is text/plain, anything else application/octet-stream.
 */
export async function detectType(path: string): Promise<string> {
	const found = await fileTypeFromFile(path);
	if (found)
		return found.mime === 'application/xml' && (await looksLike(path, /<svg[\s>]/i))
			? 'image/svg+xml'
			: found.mime;
	const head = await readHead(path);
	const text = decodeUtf8(head);
	if (text === null) return 'application/octet-stream';
	const start = text
		.replace(/^\ufeff/, '')
		.trimStart()
		.slice(0, 1024)
		.toLowerCase();
	if (
		/^<(!doctype\s+html|html|head|body|script|iframe|meta|svg)[\s>]/.test(start) ||
		/<script[\s>]/.test(text.toLowerCase())
	) {
		return start.startsWith('<svg') ? 'image/svg+xml' : 'text/html';
	}
	return 'text/plain';
}

async function readHead(path: string, bytes = 8192): Promise<Uint8Array> {
	const fh = await open(path, 'r');
	try {
		const buf = new Uint8Array(bytes);
		const { bytesRead } = await fh.read(buf, 0, bytes, 0);
		return buf.subarray(0, bytesRead);
	} finally {
		await fh.close();
	}
}

async function looksLike(path: string, re: RegExp): Promise<boolean> {
	return re.test(new TextDecoder().decode(await readHead(path)));
}

/** The text, or null when the bytes are not UTF-8 text (a cut-off last character is fine). */
function decodeUtf8(bytes: Uint8Array): string | null {
	if (bytes.includes(0)) return null;
	for (let cut = 0; cut < 4 && cut <= bytes.length; cut++) {
		try {
			return new TextDecoder('utf-8', { fatal: true }).decode(
				bytes.subarray(0, bytes.length - cut)
			);
		} catch {
			/* maybe a multi-byte character cut at the 8 KB boundary */
		}
	}
	return null;
}
