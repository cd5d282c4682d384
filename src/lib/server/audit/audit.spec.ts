import { describe, expect, it } from 'vitest';
import { makeTicket } from '$lib/server/test/factories';
import { testDb } from '$lib/server/test/test-db';
import * as audit from './index';

const { db } = testDb();

const rows = (action: string) =>
	db.selectFrom('audit_events').selectAll().where('action', '=', action).execute();

describe('audit.record', () => {
	it('writes who did what, on a ticket or on none, with its data as JSON', async () => {
		const { ticket } = await makeTicket(db);
		const at = 1_700_000_000_000;
		const actor = { kind: 'staff' as const, id: 7 };
		await audit.record(db, { ticketId: ticket.id, actor, action: 'test.did', data: { a: 1 } }, at);
		await audit.record(db, {
			ticketId: null,
			actor: { kind: 'system', id: null },
			action: 'test.sys'
		});
		expect(await rows('test.did')).toEqual([
			expect.objectContaining({
				ticket_id: ticket.id,
				actor_kind: 'staff',
				actor_id: 7,
				data: '{"a":1}',
				created_at: at
			})
		]);
		const [system] = await rows('test.sys');
		expect(system).toMatchObject({ ticket_id: null, actor_kind: 'system', actor_id: null });
		expect(JSON.parse(system.data)).toEqual({});
	});

	it('rolls back with the transaction it was written in', async () => {
		const actor = { kind: 'anonymous' as const, id: null };
		await expect(
			db.transaction().execute(async (tx) => {
				await audit.record(tx, { ticketId: null, actor, action: 'test.rolled_back' });
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');
		expect(await rows('test.rolled_back')).toEqual([]);
	});
});
