import type { LayoutServerLoad } from './$types';

// Public pages show "My tickets" in a header while the reporter is signed in (never an id).
export const load: LayoutServerLoad = ({ locals }) => ({
	portal: locals.portal
		? { email: locals.portal.email, discord: locals.portal.email === null }
		: null
});
