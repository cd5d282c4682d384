import type { Db } from '$lib/server/db';
import { takeTurns } from '$lib/server/db/dialect';

/**
 * Seeds the demo project `demo` on an empty database: a custom ticket type, a template with
 * public, read-only and hidden fields bound to the "Problem" type. Does nothing if any project
 * exists. Returns whether it seeded.
 */
export async function seedDemo(db: Db, now = Date.now()): Promise<boolean> {
	return db.transaction().execute(async (tx) => {
		// Instances starting together on an empty database: one seeds, the others see its project.
		await takeTurns(tx, 'portal:seed-demo');
		const any = await tx.selectFrom('projects').select('id').limit(1).executeTakeFirst();
		if (any) return false;
		const problem = await tx
			.selectFrom('ticket_types')
			.select('id')
			.where('project_id', 'is', null)
			.where('key', '=', 'problem')
			.executeTakeFirstOrThrow();
		const project = await tx
			.insertInto('projects')
			.values({
				key: 'demo',
				name: 'Demo Project',
				description: 'A sample project to try the portal with.',
				default_ticket_type_id: null,
				enforced_template_id: null,
				created_at: now,
				updated_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const question = await tx
			.selectFrom('ticket_types')
			.select('id')
			.where('project_id', 'is', null)
			.where('key', '=', 'question')
			.executeTakeFirstOrThrow();
		await tx
			.updateTable('projects')
			.set({ default_ticket_type_id: question.id })
			.where('id', '=', project.id)
			.execute();
		await tx
			.insertInto('ticket_types')
			.values({
				project_id: project.id,
				key: 'billing',
				name: 'Billing',
				description: 'Invoices, payments and plans',
				position: 40,
				created_at: now
			})
			.execute();
		const template = await tx
			.insertInto('templates')
			.values({
				project_id: project.id,
				name: 'Problem report',
				description: 'Helps us reproduce the problem',
				selectable: 0,
				created_at: now,
				updated_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await tx
			.insertInto('template_fields')
			.values([
				{
					template_id: template.id,
					key: 'browser',
					label: 'Browser and version',
					help: 'For example “Firefox 128”',
					kind: 'text',
					required: 1,
					visibility: 'public',
					default_value: null,
					options: '[]',
					min: null,
					max: 120,
					pattern: null,
					position: 1
				},
				{
					template_id: template.id,
					key: 'severity',
					label: 'How bad is it?',
					help: '',
					kind: 'select',
					required: 1,
					visibility: 'public',
					default_value: null,
					options: JSON.stringify([
						{ value: 'blocker', label: 'I cannot work' },
						{ value: 'major', label: 'It slows me down' },
						{ value: 'minor', label: 'A small annoyance' }
					]),
					min: null,
					max: null,
					pattern: null,
					position: 2
				},
				{
					template_id: template.id,
					key: 'steps',
					label: 'Steps to reproduce',
					help: 'What did you do, what happened, what did you expect?',
					kind: 'textarea',
					required: 0,
					visibility: 'public',
					default_value: null,
					options: '[]',
					min: null,
					max: 5000,
					pattern: null,
					position: 3
				},
				{
					template_id: template.id,
					key: 'queue',
					label: 'Triage queue',
					help: '',
					kind: 'text',
					required: 1,
					visibility: 'hidden',
					default_value: JSON.stringify('triage-l1'),
					options: '[]',
					min: null,
					max: null,
					pattern: null,
					position: 4
				},
				{
					template_id: template.id,
					key: 'sla',
					label: 'SLA tier',
					help: '',
					kind: 'text',
					required: 0,
					visibility: 'readonly',
					default_value: JSON.stringify('standard'),
					options: '[]',
					min: null,
					max: null,
					pattern: null,
					position: 5
				}
			])
			.execute();
		await tx
			.insertInto('template_bindings')
			.values({
				project_id: project.id,
				ticket_type_id: problem.id,
				template_id: template.id,
				created_at: now
			})
			.execute();
		return true;
	});
}
