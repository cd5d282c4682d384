import { expect, test } from '@playwright/test';
import { openDb } from './fixtures/data';
import { startStaffServer, type StaffServer } from './fixtures/staff';

// Bodies no browser form sends, against every kind of form action and endpoint, public and
// staff: each is the client's mistake (400/415 with a sentence), never a 500, and the log
// says so at warn level, never as an "unhandled error".
let s: StaffServer;
let staffCookie = '';
let threadPath = '';
let ticketId = 0;
test.describe.configure({ timeout: 120_000 });

test.beforeAll(async ({ browser }) => {
	s = await startStaffServer(browser);
	const page = await s.adminPage(browser);
	staffCookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
	await page.close();
	const title = `Bodies ${Date.now()}`;
	const created = await fetch(`${s.server.origin}/ticket/demo?/create`, {
		method: 'POST',
		body: new URLSearchParams({
			email: 'body@example.com',
			title,
			description: 'd',
			type: 'question'
		}),
		headers: { origin: s.server.origin, accept: 'text/html' },
		redirect: 'manual'
	});
	expect(created.status).toBe(303);
	threadPath = new URL(created.headers.get('location')!, s.server.origin).pathname;
	const db = openDb(s.server.dataDir);
	ticketId = (db.prepare('SELECT id FROM tickets WHERE title = ?').get(title) as { id: number }).id;
	db.close();
});
test.afterAll(async () => s?.server.stop());

const B = 'XyZboundary123';
const part = (headers: string, value: string) => `--${B}\r\n${headers}\r\n\r\n${value}\r\n`;
const field = (name: string, value: string) =>
	part(`Content-Disposition: form-data; name="${name}"`, value);

/** Body shapes a form never sends, each with the content type it comes with. */
const BAD: { label: string; type: string; body: string; status: number }[] = [
	{
		label: 'wrong boundary',
		type: 'multipart/form-data; boundary=NotTheOneUsed',
		body: field('body', 'hello') + `--${B}--\r\n`,
		status: 400
	},
	{
		label: 'missing boundary',
		type: 'multipart/form-data',
		body: field('body', 'hello') + `--${B}--\r\n`,
		status: 400
	},
	{
		label: 'empty multipart body',
		type: `multipart/form-data; boundary=${B}`,
		body: '',
		status: 400
	},
	{
		label: 'truncated body',
		type: `multipart/form-data; boundary=${B}`,
		body: field('body', 'hello') + `--${B}\r\nContent-Disposition: form-data; name="fi`,
		status: 400
	},
	{
		label: 'raw quote in a filename',
		type: `multipart/form-data; boundary=${B}`,
		body:
			field('body', 'hello') +
			part(
				'Content-Disposition: form-data; name="files"; filename="a"b.txt"\r\nContent-Type: text/plain',
				'x'
			) +
			`--${B}--\r\n`,
		status: 400
	},
	{
		label: 'CR/LF in a filename',
		type: `multipart/form-data; boundary=${B}`,
		body:
			field('body', 'hello') +
			part(
				'Content-Disposition: form-data; name="files"; filename="a\r\nb.txt"\r\nContent-Type: text/plain',
				'x'
			) +
			`--${B}--\r\n`,
		status: 400
	},
	{ label: 'text/plain', type: 'text/plain', body: 'body=hello', status: 415 }
];

function targets() {
	return [
		{ label: 'create', path: '/ticket/demo?/create', staff: false },
		{ label: 'public reply', path: `${threadPath}?/reply`, staff: false },
		{ label: 'staff reply', path: `/app/tickets/${ticketId}?/reply`, staff: true },
		{ label: 'staff note', path: `/app/tickets/${ticketId}?/note`, staff: true },
		{ label: 'staff status', path: `/app/tickets/${ticketId}?/status`, staff: true },
		{ label: 'sign-in', path: '/app/login', staff: false },
		{ label: 'setup', path: '/setup/abcdefghijklmnopqrstuvwxyz234567', staff: false }
	];
}

test('malformed and unsupported form bodies answer 400/415 with a sentence on every form, never 500', async () => {
	const seen: string[] = [];
	for (const t of targets()) {
		for (const bad of BAD) {
			for (const accept of ['text/html', 'application/json']) {
				const res = await fetch(s.server.origin + t.path, {
					method: 'POST',
					body: bad.body,
					headers: {
						'content-type': bad.type,
						origin: s.server.origin,
						accept,
						...(t.staff ? { cookie: staffCookie } : {})
					},
					redirect: 'manual'
				});
				const text = await res.text();
				seen.push(`${t.label} / ${bad.label} / ${accept}: ${res.status}`);
				expect(res.status, `${t.label}: ${bad.label}`).toBe(bad.status);
				expect(text, `${t.label}: ${bad.label}`).toMatch(
					bad.status === 415
						? /accepts web forms only/
						: /The form could not be read: the request body is damaged or incomplete\./
				);
				expect(text).not.toMatch(/FormData|TypeError|at \w+ \(/);
			}
		}
	}
	expect(seen.length).toBe(targets().length * BAD.length * 2);
	// A JSON body to a form action is Kit's 415, with our sentence too.
	const json = await fetch(s.server.origin + '/ticket/demo?/create', {
		method: 'POST',
		body: '{}',
		headers: {
			'content-type': 'application/json',
			origin: s.server.origin,
			accept: 'application/json'
		}
	});
	expect(json.status).toBe(415);
	expect(await json.text()).toMatch(/accepts web forms only/);

	// Logged as the client's mistakes, never as an error of ours.
	const lines = s.server
		.output()
		.split('\n')
		.filter((l) => l.startsWith('{'))
		.map((l) => JSON.parse(l) as { level: number; msg: string });
	expect(lines.filter((l) => l.level >= 50 || l.msg === 'unhandled error')).toEqual([]);
});

test('a well-formed post still works after the check (the body is read again by the action)', async () => {
	const res = await fetch(`${s.server.origin}${threadPath}?/reply`, {
		method: 'POST',
		body: (() => {
			const f = new FormData();
			f.append('body', 'Still works');
			f.append('files', new File(['plain words'], 'notes.txt', { type: 'text/plain' }));
			return f;
		})(),
		headers: { origin: s.server.origin, accept: 'application/json', 'x-sveltekit-action': 'true' }
	});
	expect(res.status).toBe(200);
	const db = openDb(s.server.dataDir);
	const n = db.prepare("SELECT count(*) AS n FROM messages WHERE body = 'Still works'").get() as {
		n: number;
	};
	db.close();
	expect(n.n).toBe(1);
});

test('a chunked POST without Content-Length to the unsubscribe path meets the public size limit first', async () => {
	// 24 MB, over the public limit (10 MB + form overhead), under the staff maximum: before, the
	// CSRF check read all of it into memory before answering 403.
	let sent = 0;
	const chunk = new Uint8Array(256 * 1024).fill(97);
	const body = new ReadableStream<Uint8Array>({
		pull(c) {
			if (sent >= 96) return c.close();
			sent++;
			c.enqueue(chunk);
		}
	});
	const res = await fetch(
		`${s.server.origin}/ticket/unsubscribe/abcdefghijklmnop.qrstuvwxyz234567abcdefghijklmnopqrstuvw`,
		{
			method: 'POST',
			body,
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: 'https://evil.example'
			},
			duplex: 'half'
		} as RequestInit
	);
	expect(res.status).toBe(413);
	expect(await res.text()).toMatch(/too large/);
	// The exact one-click body from a mail provider (no Origin, chunked) passes the check.
	const oneClick = await fetch(
		`${s.server.origin}/ticket/unsubscribe/abcdefghijklmnop.qrstuvwxyz234567abcdefghijklmnopqrstuvw`,
		{
			method: 'POST',
			body: new ReadableStream<Uint8Array>({
				start(c) {
					c.enqueue(new TextEncoder().encode('List-Unsubscribe=One-Click'));
					c.close();
				}
			}),
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: 'https://evil.example'
			},
			duplex: 'half'
		} as RequestInit
	);
	expect(oneClick.status).toBe(404); // past the CSRF check; the token is not one of ours
});
