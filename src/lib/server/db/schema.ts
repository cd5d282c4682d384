import type { Insertable, Selectable, Updateable } from 'kysely';
import type { IntegrationTables as Integrations } from './schema-integrations';
import type { MailTables } from './schema-mail';
import type { PeopleTables } from './schema-people';
import type { ProjectTables } from './schema-projects';
import type { TicketTables } from './schema-tickets';
import type { WorkflowTables } from './schema-workflow';
import type {
	CustomersTable,
	ProjectsTable,
	TemplateFieldsTable,
	TemplatesTable,
	TicketTypesTable
} from './schema-projects';
import type { OutboundEmailsTable } from './schema-mail';
import type { PortalSessionsTable, SessionsTable, StaffUsersTable } from './schema-people';
import type {
	AttachmentsTable,
	MessagesTable,
	TicketRecipientsTable,
	TicketsTable
} from './schema-tickets';
import type { FieldKind } from '$lib/shared/field-kinds';
import type { TicketStatus } from '$lib/shared/types';

// The tables are declared by area in schema-*.ts; this file joins them into `DB`.
export type * from './schema-mail';
export type * from './schema-people';
export type * from './schema-projects';
export type * from './schema-tickets';
export type { FieldKind, TicketStatus };

/** Milliseconds since the Unix epoch (UTC). */
type Millis = number;

/** 0016: spent proof-of-work challenges, kept until they would have expired anyway. */
export interface PowSpentTable {
	signature: string;
	expires_at: Millis;
}

export interface SchemaMigrationsTable {
	version: string;
	applied_at: Millis;
}

export interface DB
	extends ProjectTables, PeopleTables, TicketTables, MailTables, Integrations, WorkflowTables {
	schema_migrations: SchemaMigrationsTable;
	pow_spent: PowSpentTable;
}

export type Project = Selectable<ProjectsTable>;
export type TicketType = Selectable<TicketTypesTable>;
export type Template = Selectable<TemplatesTable>;
export type TemplateField = Selectable<TemplateFieldsTable>;
export type NewTemplateField = Insertable<TemplateFieldsTable>;
export type Customer = Selectable<CustomersTable>;
export type StaffUser = Selectable<StaffUsersTable>;
export type Ticket = Selectable<TicketsTable>;
export type TicketUpdate = Updateable<TicketsTable>;
export type Recipient = Selectable<TicketRecipientsTable>;
export type Message = Selectable<MessagesTable>;
export type Attachment = Selectable<AttachmentsTable>;
export type OutboundEmail = Selectable<OutboundEmailsTable>;
export type Session = Selectable<SessionsTable>;
export type PortalSession = Selectable<PortalSessionsTable>;
export type DiscordGuild = Selectable<Integrations['discord_guilds']>;
export type DiscordSession = Selectable<Integrations['discord_sessions']>;
