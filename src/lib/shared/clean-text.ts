// C0 controls except tab (09) and line feed (0A); CR is handled as a line break first.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f]/g;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Multi-line text as it may be stored: CRLF and CR become LF; NUL and the other C0 controls
 * (tab and newline kept) and lone UTF-16 surrogates are removed. Whatever path text arrives by
 * (web form, staff dashboard, Discord, mail), it passes here before storage, so no stored text
 * can break a mail header, a terminal, a JSON consumer or a PostgreSQL `text` column (no NUL).
 */
export function cleanText(value: string): string {
	return value.replace(/\r\n?/g, '\n').replace(CONTROLS, '').replace(LONE_SURROGATES, '');
}

/** One-line text (titles, names): as `cleanText`, with tabs and line breaks turned into spaces. */
export function cleanLine(value: string): string {
	return cleanText(value)
		.replace(/[\t\n]+/g, ' ')
		.trim();
}

/** `cleanLine` for optional values: null stays null, and so does a value that cleans to nothing. */
export function cleanOptionalLine(value: string | null | undefined): string | null {
	return value ? cleanLine(value) || null : null;
}
