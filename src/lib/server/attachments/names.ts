/** Longest display name kept (characters); the extension survives shortening. */
const MAX_NAME = 150;

/**
 * A file name safe to show: no path, no control or bidi-override characters (which can disguise
 * "exe.pdf" as "fdp.exe"), NFC, one line, at most 150 characters. For display only; files are
 * stored under generated ids.
 */
export function sanitizeName(raw: string): string {
	let name = (raw.split(/[\\/]/).pop() ?? '')
		.normalize('NFC')
		// C0/C1 controls, zero-width and bidi controls, line/paragraph separators.
		.replace(
			/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g,
			''
		)
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/^\.+/, '');
	if ([...name].length > MAX_NAME) {
		const dot = name.lastIndexOf('.');
		const ext = dot > 0 && name.length - dot <= 12 ? name.slice(dot) : '';
		name =
			[...name.slice(0, name.length - ext.length)].slice(0, MAX_NAME - ext.length - 1).join('') +
			'…' +
			ext;
	}
	return name || 'file';
}

/**
 * An RFC 6266 Content-Disposition value: an ASCII fallback `filename` plus the exact UTF-8 name
 * in `filename*` (RFC 8187).
 */
export function contentDisposition(type: 'attachment' | 'inline', name: string): string {
	const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
	const encoded = encodeURIComponent(name).replace(
		/['()*]/g,
		(c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()
	);
	return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The name with its extension replaced, e.g. for a re-encoded WebP copy of "photo.jpg". */
export function withExtension(name: string, ext: string): string {
	const dot = name.lastIndexOf('.');
	return (dot > 0 ? name.slice(0, dot) : name) + ext;
}

/** Extensions a detected type may keep; the first is the one a download gets otherwise. */
const EXTENSIONS: Record<string, string[]> = {
	'image/jpeg': ['.jpg', '.jpeg'],
	'image/png': ['.png'],
	'image/webp': ['.webp'],
	'image/gif': ['.gif'],
	'image/avif': ['.avif'],
	'application/pdf': ['.pdf'],
	'text/plain': ['.txt', '.log', '.md', '.csv'],
	'application/zip': ['.zip'],
	'application/gzip': ['.gz', '.tgz'],
	'application/x-7z-compressed': ['.7z'],
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
	'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['.pptx'],
	'application/vnd.oasis.opendocument.text': ['.odt'],
	'application/vnd.oasis.opendocument.spreadsheet': ['.ods'],
	'application/vnd.oasis.opendocument.presentation': ['.odp'],
	'video/mp4': ['.mp4', '.m4v'],
	'video/quicktime': ['.mov'],
	'video/webm': ['.webm'],
	'audio/mpeg': ['.mp3'],
	'audio/mp4': ['.m4a']
};

/**
 * The name a download is saved under: its extension matches the type detected from the bytes,
 * so a text file named "x.html" or "x.exe" is saved as "x.txt" and never opens as a page or a
 * program. A matching extension is kept; another is replaced; an unknown type gets ".bin".
 */
export function downloadName(name: string, mime: string): string {
	const allowed = EXTENSIONS[mime] ?? ['.bin'];
	const dot = name.lastIndexOf('.');
	const ext = dot > 0 ? name.slice(dot).toLowerCase() : '';
	if (allowed.includes(ext)) return name;
	return withExtension(name, allowed[0]);
}
