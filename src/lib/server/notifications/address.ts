/**
 * The strict address check mail goes through before anything is handed to a transport: one
 * plain `local@domain` — no display name, no quoted local part, no comments, no whitespace or
 * control characters (so nothing can spill into an SMTP command or a header), an ASCII dot-atom
 * local part and a dotted host name. Stricter than RFC 5322 on purpose.
 */
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** Whether `address` is one plain, header-safe mailbox we are willing to send to. */
export function isMailableAddress(address: string): boolean {
	if (address.length > 254 || address.length < 3) return false;
	const at = address.lastIndexOf('@');
	if (at < 1 || address.indexOf('@') !== at) return false;
	const local = address.slice(0, at);
	const domain = address.slice(at + 1);
	if (local.length > 64 || !LOCAL.test(local)) return false;
	const labels = domain.split('.');
	if (labels.length < 2 || domain.length > 253) return false;
	if (!labels.every((l) => LABEL.test(l))) return false;
	// The top-level label is never all digits (that would be an IP literal in disguise).
	return !/^\d+$/.test(labels[labels.length - 1]);
}

/** A reason a mail can never be delivered; the outbox marks its row failed at once. */
export class PermanentMailError extends Error {
	override name = 'PermanentMailError';
}

/** Throws PermanentMailError unless the address passes `isMailableAddress`. */
export function assertMailable(address: string): void {
	if (!isMailableAddress(address)) {
		throw new PermanentMailError(
			`refusing to send to an invalid address: ${JSON.stringify(address.slice(0, 80))}`
		);
	}
}
