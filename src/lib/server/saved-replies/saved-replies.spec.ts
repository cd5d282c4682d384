import { createComposer } from '$lib/server/notifications';
import * as staff from '$lib/server/staff';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { makeAgent } from '$lib/server/test/staff-agent';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import { describe, expect, it } from 'vitest';
import * as saved from '.';

const { db } = testDb();

const values = {
	reporter_name: 'Rita',
	ticket_title: 'Export fails',
	agent_name: 'Ada',
	project_name: 'Acme'
};

describe('saved replies', () => {
	it('fills every placeholder once, leaving unknown braces and placeholder-like values alone', () => {
		expect(
			saved.fill(
				'Hi {reporter_name}, about “{ticket_title}” on {project_name}: {unknown}. — {agent_name}',
				values
			)
		).toBe('Hi Rita, about “Export fails” on Acme: {unknown}. — Ada');
		expect(
			saved.fill('{reporter_name} / {agent_name}', { ...values, reporter_name: '{agent_name}' })
		).toBe('{agent_name} / Ada');
	});

	it('offers a project its own and the global replies, by title; admins manage them all', async () => {
		const a = await makeProject(db, { name: 'A' });
		const b = await makeProject(db, { name: 'B' });
		const g = await saved.create(db, { projectId: null, title: 'Welcome', body: 'Hello' });
		const ra = await saved.create(db, { projectId: a.id, title: 'Already fixed', body: 'Fixed' });
		await saved.create(db, { projectId: b.id, title: 'B only', body: 'B' });
		expect((await saved.forProject(db, a.id)).map((r) => r.title)).toEqual([
			'Already fixed',
			'Welcome'
		]);
		expect(await saved.update(db, ra, { projectId: b.id, title: '  Moved ', body: 'x' })).toBe(
			true
		);
		expect((await saved.forProject(db, a.id)).map((r) => r.title)).toEqual(['Welcome']);
		expect((await saved.list(db)).find((r) => r.id === ra)).toMatchObject({
			title: 'Moved',
			project: 'B'
		});
		expect(await saved.remove(db, g)).toBe(true);
		expect(await saved.remove(db, g)).toBe(false);
		expect(await saved.update(db, g, { projectId: null, title: 't', body: 'b' })).toBe(false);
	});

	it('a filled reply with a hostile reporter name is inert in the mail HTML', async () => {
		const hostile = '<img src=x onerror=alert(1)>';
		const { ticket } = await makeTicket(db, { reporterName: hostile, title: 'Broken <b>' });
		const me = await makeAgent(db, { name: 'Ada' });
		const body = saved.fill('Hello {reporter_name}, re {ticket_title}. {agent_name}', {
			reporter_name: hostile,
			ticket_title: ticket.title,
			agent_name: me.name,
			project_name: 'P'
		});
		await staff.write(db, { ticketId: ticket.id, actor: me, body, internal: false });
		const row = await db
			.selectFrom('outbound_emails')
			.selectAll()
			.where('ticket_id', '=', ticket.id)
			.where('kind', '=', 'staff_reply')
			.executeTakeFirstOrThrow();
		const compose = createComposer({
			origin: 'http://localhost:3000',
			mailFrom: 'help@example.com',
			secret: TEST_SECRET
		});
		const mail = await compose(db, row);
		const html = mail && 'html' in mail ? String(mail.html) : '';
		expect(html).toContain('Hello &lt;img src=x onerror=alert(1)&gt;, re Broken &lt;b&gt;. Ada');
		expect(html).not.toMatch(/<img|<b>/i);
	});
});
