import type { StaffUser } from '$lib/server/db/schema';

/**
 * What each role may do. Agents work tickets; admins also configure projects, templates,
 * customers, staff and settings.
 */
export type Capability = 'tickets' | 'configure';

const grants: Record<StaffUser['role'], Capability[]> = {
	admin: ['tickets', 'configure'],
	agent: ['tickets']
};

/** Whether a user (or nobody) has a capability. */
export function can(
	user: Pick<StaffUser, 'role'> | null | undefined,
	capability: Capability
): boolean {
	return !!user && grants[user.role]?.includes(capability);
}
