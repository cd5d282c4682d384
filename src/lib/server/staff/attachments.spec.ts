import { app, start, stop } from '$lib/server/app';
import * as attachments from '$lib/server/attachments';
import { loadConfig } from '$lib/server/config';
import { makeTicket } from '$lib/server/test/factories';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as staff from '.';
import { makeAgent } from '$lib/server/test/staff-agent';

// Staff replies and notes take files through the attachments module with the staff limits; the
// running app's services are needed for that, so this file starts one on a folder of its own.
const dir = mkdtempSync(join(tmpdir(), 'portal-staff-files-'));
const KB = 1024;
beforeAll(async () => {
	const config = loadConfig({
		DATA_DIR: dir,
		LOG_LEVEL: 'silent',
		PUBLIC_UPLOAD_MAX_BYTES: String(10 * KB),
		PUBLIC_UPLOAD_MAX_FILES: '1',
		STAFF_UPLOAD_MAX_BYTES: String(100 * KB),
		STAFF_UPLOAD_MAX_FILE_BYTES: String(40 * KB),
		STAFF_UPLOAD_MAX_FILES: '3',
		UPLOAD_TOKEN_DAILY_BYTES: String(1 * KB)
	});
	await start(config, { outbox: false });
});
afterAll(async () => {
	await stop();
	rmSync(dir, { recursive: true, force: true });
});

const text = (name: string, bytes: number) =>
	new File(['x'.repeat(bytes)], name, { type: 'text/plain' });
function form(...files: File[]) {
	const f = new FormData();
	for (const file of files) f.append('files', file);
	return f;
}

const agent = () => makeAgent(app().db, { name: 'Agent' });

async function send(ticketId: number, internal: boolean, files: File[]) {
	const upload = await app().uploads.receive(form(...files), { kind: 'staff' });
	if (!upload.ok) throw new Error(upload.message);
	const actor = await agent();
	const done = await upload.commit((within) =>
		staff.write(app().db, {
			ticketId,
			actor,
			body: internal ? 'note' : 'reply',
			internal,
			within: (tx, { messageId }) => within(tx, { ticketId, messageId })
		})
	);
	if (!done.ok) throw new Error(done.message);
	return done.value.messageId;
}

describe('staff uploads', () => {
	it('are held to the staff limits, not the public ones, and count against no quota', async () => {
		expect(attachments.staffLimits(app().config)).toEqual({
			maxFiles: 3,
			maxFileBytes: 40 * KB,
			maxBytes: 100 * KB
		});
		// Three files of 30 KB: far past the public limits (one file, 10 KB) and the 1 KB daily quota.
		const ok = await app().uploads.receive(
			form(text('a.txt', 30 * KB), text('b.txt', 30 * KB), text('c.txt', 30 * KB)),
			{ kind: 'staff' }
		);
		expect(ok.ok && ok.count).toBe(3);
		const pub = await app().uploads.receive(form(text('a.txt', 30 * KB)), {
			kind: 'create',
			clientKey: '10.1.1.1'
		});
		expect(pub).toMatchObject({ ok: false, status: 413 });
		const big = await app().uploads.receive(form(text('big.txt', 41 * KB)), { kind: 'staff' });
		expect(big).toMatchObject({ ok: false, status: 413 });
		expect(!big.ok && big.message).toContain('big.txt');
		const many = await app().uploads.receive(
			form(...['1', '2', '3', '4'].map((n) => text(`${n}.txt`, 10))),
			{ kind: 'staff' }
		);
		expect(!many.ok && many.message).toContain('up to 3');
		const quota = await app().db.selectFrom('upload_quota').selectAll().execute();
		expect(quota).toEqual([]);
	});

	it("a public reply's files are public; an internal note's never reach the public rows or downloads", async () => {
		const { ticket } = await makeTicket(app().db);
		const replyId = await send(ticket.id, false, [text('public.txt', 100)]);
		const noteId = await send(ticket.id, true, [text('secret.txt', 100)]);
		const rows = await app()
			.db.selectFrom('attachments')
			.select(['public_id', 'name', 'message_id'])
			.where('ticket_id', '=', ticket.id)
			.execute();
		expect(rows.map((r) => [r.name, r.message_id])).toEqual([
			['public.txt', replyId],
			['secret.txt', noteId]
		]);
		const visible = await attachments.publicForTicket(app().db, ticket.id);
		expect(
			Object.values(visible.messages)
				.flat()
				.map((a) => a.name)
		).toEqual(['public.txt']);
		expect(visible.ticket).toEqual([]);
		const [pub, secret] = rows;
		expect(await attachments.findForTicket(app().db, ticket.id, pub.public_id)).toBeDefined();
		expect(await attachments.findForTicket(app().db, ticket.id, secret.public_id)).toBeUndefined();
		// The staff view lists both, each under its own message.
		const view = (await staff.view(app().db, ticket.id))!;
		const byBody = Object.fromEntries(
			view.messages.map((m) => [m.body, m.attachments.map((a) => a.name)])
		);
		expect(byBody).toMatchObject({ reply: ['public.txt'], note: ['secret.txt'] });
	});
});
