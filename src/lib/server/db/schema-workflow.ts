// The staff workflow's tables (migration 0018), merged into `DB` by schema.ts (a file of its
// own only to keep schema.ts short).

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

export interface TicketTagsTable {
	ticket_id: number;
	tag_id: number;
}

export interface WorkflowTables {
	project_round_robin: ProjectRoundRobinTable;
	tags: TagsTable;
	ticket_tags: TicketTagsTable;
}
