/**
 * A change the domain refuses for a reason the user can act on: the sentence to show and,
 * when it belongs to one input, that input's form field. Routes answer it with `refused(…)`
 * from `$lib/server/http/refused`; anything else thrown is a bug.
 */
export class DomainError extends Error {
	constructor(
		message: string,
		public readonly field?: string
	) {
		super(message);
		this.name = 'DomainError';
	}
}
