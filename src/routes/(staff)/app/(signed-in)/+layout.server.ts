import { requireStaff } from '$lib/server/auth/guard';
import type { LayoutServerLoad } from './$types';

/**
 * The dashboard guard: no session → the login page. Layout loads do not run for form actions,
 * so every action and page load checks again with requireStaff/requireAdmin.
 */
export const load: LayoutServerLoad = async (event) => {
	const user = requireStaff(event);
	return { me: { name: user.name, email: user.email, role: user.role } };
};
