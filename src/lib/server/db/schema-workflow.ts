// The staff workflow's tables (migrations 0018, 0020), merged into `DB` by schema.ts (a file of its
// own only to keep schema.ts short).
import type { TicketStatus } from '$lib/shared/types';

/** The agents round-robin assigns a project's new tickets to. */
export interface ProjectRoundRobinTable {
	project_id: number;
	staff_user_id: number;
}

/** Free tags, per project. */
export interface TagsTable {
	id: import('kysely').Generated<number>;
	project_id: number;
	name: string;
	/** Milliseconds since the Unix epoch (UTC). */
	created_at: number;
}

/** A ticket's tag, with the name and the ticket's last activity copied in (kept by a trigger). */
export interface TicketTagsTable {
	ticket_id: number;
	tag_id: number;
	name: string;
	/** Copies of the ticket's, kept equal by a trigger (inbox filters read them in the indexes). */
	last_activity_at: number;
	status: TicketStatus;
	assignee_id: number | null;
}

/** Per-staff mail preferences; no row = the defaults. */
export interface StaffPreferencesTable {
	staff_user_id: number;
	/** 1 = mail about reporter replies on tickets assigned to them. */
	notify_assigned: import('kysely').Generated<0 | 1>;
}

export interface WorkflowTables {
	staff_preferences: StaffPreferencesTable;
	project_round_robin: ProjectRoundRobinTable;
	tags: TagsTable;
	ticket_tags: TicketTagsTable;
}
