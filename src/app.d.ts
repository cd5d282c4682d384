// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
			/** A spent or expired portal sign-in link: its address, for "Send a new link". */
			email?: string;
		}
		interface Locals {
			/** The signed-in staff user, if any. */
			staff: import('$lib/server/db/schema').StaffUser | null;
			session: import('$lib/server/db/schema').Session | null;
			/** The reporter's "My tickets" session on public pages, if signed in. */
			portal: import('$lib/server/portal/session').PortalLocals | null;
			/** The client's rate-limit key: IPv4 address, or IPv6 /64 prefix. */
			clientKey: string;
			/** The language of this response (public pages, error pages); see $lib/server/i18n. */
			locale: import('$lib/paraglide/runtime.js').Locale;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
