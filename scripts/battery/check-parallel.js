// Check 3: 100 replies at once on one thread, then 100 creates at once; what is stored must be
// exactly what was acknowledged, and SQLite must never report itself busy.
import { settleAttachments, withDb } from './db.js';
import { createTicket, reply } from './http.js';

const N = 100;
const file = (i) =>
	i % 2
		? [{ name: `p${i}.txt`, type: 'text/plain', data: Buffer.from(`parallel file ${i}\n`) }]
		: [];

export async function checkParallel({ server }) {
	const run = Date.now().toString(36);
	const thread = await createTicket(server, `battery parallel thread ${run}`);
	if (!thread.token)
		throw new Error(`could not create the thread: ${thread.status} ${thread.text.slice(0, 200)}`);
	const failures = [];

	let t0 = Date.now();
	const replies = await Promise.all(
		Array.from({ length: N }, (_, i) =>
			reply(server, thread.token, `par-reply-${run}-${i}`, file(i))
		)
	);
	const replyMs = Date.now() - t0;
	t0 = Date.now();
	const creates = await Promise.all(
		Array.from({ length: N }, (_, i) => createTicket(server, `par-create-${run}-${i}`, file(i)))
	);
	const createMs = Date.now() - t0;

	const ackedReplies = new Set(
		replies.map((r, i) => (r.acked ? `par-reply-${run}-${i}` : null)).filter(Boolean)
	);
	const ackedCreates = new Set(
		creates.map((r, i) => (r.token ? `par-create-${run}-${i}` : null)).filter(Boolean)
	);
	for (const [i, r] of replies.entries())
		if (!r.acked) failures.push(`reply ${i} not acknowledged: ${r.status} ${r.text.slice(0, 120)}`);
	for (const [i, r] of creates.entries())
		if (!r.token)
			failures.push(
				`create ${i} not acknowledged: ${r.status}/${r.effective} ${r.text.slice(0, 120)}`
			);

	const stored = withDb(server.dataDir, (db) => ({
		replies: db
			.prepare('SELECT body FROM messages WHERE body LIKE ?')
			.all(`par-reply-${run}-%`)
			.map((m) => m.body),
		creates: db
			.prepare('SELECT title FROM tickets WHERE title LIKE ?')
			.all(`par-create-${run}-%`)
			.map((t) => t.title),
		replyFiles: db
			.prepare(
				'SELECT count(*) n FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.body LIKE ?'
			)
			.get(`par-reply-${run}-%`).n,
		createFiles: db
			.prepare(
				'SELECT count(*) n FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.title LIKE ?'
			)
			.get(`par-create-${run}-%`).n
	}));
	const compare = (what, acked, rows) => {
		const set = new Set(rows);
		if (rows.length !== set.size) failures.push(`${what}: ${rows.length - set.size} stored twice`);
		for (const x of acked)
			if (!set.has(x)) failures.push(`${what}: acknowledged "${x}" is not stored`);
		for (const x of set)
			if (!acked.has(x)) failures.push(`${what}: "${x}" stored but not acknowledged`);
	};
	compare('replies', ackedReplies, stored.replies);
	compare('creates', ackedCreates, stored.creates);
	const expectFiles = (acked) => [...acked].filter((x) => Number(x.split('-').pop()) % 2).length;
	if (stored.replyFiles !== expectFiles(ackedReplies))
		failures.push(
			`reply attachments: ${stored.replyFiles} stored, ${expectFiles(ackedReplies)} acknowledged`
		);
	if (stored.createFiles !== expectFiles(ackedCreates))
		failures.push(
			`create attachments: ${stored.createFiles} stored, ${expectFiles(ackedCreates)} acknowledged`
		);
	const audit = await settleAttachments(server.dataDir);
	for (const m of audit.missing) failures.push(`attachment row without its file: ${m}`);
	const busy = server
		.output()
		.split('\n')
		.filter((l) => /SQLITE_BUSY|database is locked/.test(l)).length;
	if (busy) failures.push(`${busy} SQLITE_BUSY / "database is locked" log lines`);

	const figure =
		`replies: ${ackedReplies.size}/${N} acknowledged, ${stored.replies.length} stored, ${stored.replyFiles} files (${(replyMs / 1000).toFixed(1)} s); ` +
		`creates: ${ackedCreates.size}/${N} acknowledged, ${stored.creates.length} stored, ${stored.createFiles} files (${(createMs / 1000).toFixed(1)} s); ${busy} SQLITE_BUSY`;
	return { ok: failures.length === 0, figure, failures };
}
