import { describe, expect, it } from 'vitest';
import * as staff from '$lib/server/staff';
import { render } from '$lib/server/notifications/compose';
import { addRecipient, makeTicket } from '$lib/server/test/factories';
import { makeAgent } from '$lib/server/test/staff-agent';
import { testDb } from '$lib/server/test/test-db';
import { csatAsk } from './mail';

const { db } = testDb();
const links = { thread: 'https://portal.example/ticket/thread/abc.def' };
const row = (id: number) =>
	db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('csatAsk in the resolve mail', () => {
	it('asks the reporter with one link per answer while the round is open, nobody else', async () => {
		const { ticket, reporter } = await makeTicket(db);
		const cc = await addRecipient(db, ticket.id, 'cc@example.com');
		const me = await makeAgent(db);
		expect(await csatAsk(db, await row(ticket.id), reporter, links)).toEqual({});
		await staff.setStatus(db, { ticketId: ticket.id, actor: me, status: 'resolved' });
		const { ask } = await csatAsk(db, await row(ticket.id), reporter, links);
		expect(ask?.links).toEqual([
			{ label: 'Yes, solved', url: `${links.thread}/feedback?answer=yes` },
			{ label: 'No, not solved', url: `${links.thread}/feedback?answer=no` }
		]);
		expect(await csatAsk(db, await row(ticket.id), cc, links)).toEqual({});
		const mail = render(
			{ subject: 's', paragraphs: ['p'], action: { label: 'View', url: links.thread }, ask },
			{ reason: 'r' }
		);
		expect(mail.text).toContain('Did this solve it?');
		expect(mail.text).toContain(`Yes, solved: ${links.thread}/feedback?answer=yes`);
		expect(mail.html).toContain(`href="${links.thread}/feedback?answer=no"`);
		// German mail (once recipients' languages are stored).
		const de = await csatAsk(db, await row(ticket.id), reporter, links, 'de');
		expect(de.ask?.question).toBe('Hat das Ihr Problem gelöst?');
	});
});
