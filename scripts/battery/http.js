// Requests the battery sends: form actions the way the page's enhanced forms send them (JSON
// answer with `x-sveltekit-action: true`) or as a plain form post (`Accept: text/html`), and
// multipart bodies built by hand so they can be malformed on purpose.
import { randomBytes } from 'node:crypto';

export const PROJECT = 'demo';

/** A hand-built multipart body: parts are { name, filename?, type?, data, headers? }. */
export function multipart(parts, boundary = '----battery' + randomBytes(8).toString('hex')) {
	const chunks = [];
	for (const p of parts) {
		let head = `--${boundary}\r\n`;
		if (p.headers !== undefined) head += p.headers;
		else {
			head += `Content-Disposition: form-data; name="${p.name}"`;
			if (p.filename !== undefined) head += `; filename="${p.filename}"`;
			head += '\r\n';
			if (p.type) head += `Content-Type: ${p.type}\r\n`;
		}
		chunks.push(
			Buffer.from(head + '\r\n', 'latin1'),
			Buffer.from(p.data ?? ''),
			Buffer.from('\r\n')
		);
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/** The text fields of a valid create; `title` carries the nonce the checks look for. */
export function createFields(title, extra = {}) {
	return {
		email: `battery+${randomBytes(3).toString('hex')}@example.com`,
		name: 'Battery',
		title,
		description: `Fault battery ticket ${title}`,
		type: 'question',
		...extra
	};
}

/** Fields + files as multipart parts. */
export function formParts(fields, files = []) {
	return [
		...Object.entries(fields).map(([name, data]) => ({ name, data: String(data) })),
		...files.map((f) => ({
			name: 'files',
			filename: f.name,
			type: f.type ?? 'application/octet-stream',
			data: f.data
		}))
	];
}

/**
 * Sends a request and reads the answer. `mode` 'json' = the enhanced form's fetch, 'html' = a
 * plain form post; either way with the Origin the CSRF guard wants unless `origin` is given.
 * Network failures come back as status 0 with the error's message.
 */
export async function send(
	server,
	path,
	{ method = 'POST', body, type, mode = 'json', headers = {}, timeoutMs = 20_000 } = {}
) {
	const h = { origin: server.origin, ...headers };
	if (mode === 'json')
		Object.assign(h, { accept: 'application/json', 'x-sveltekit-action': 'true' });
	else if (mode === 'html') h.accept = 'text/html';
	if (type) h['content-type'] = type;
	for (const [k, v] of Object.entries(h)) if (v === null) delete h[k];
	const init = {
		method,
		headers: h,
		body,
		redirect: 'manual',
		signal: AbortSignal.timeout(timeoutMs)
	};
	if (body && typeof body.getReader === 'function') init.duplex = 'half';
	try {
		const res = await fetch(server.origin + path, init);
		const text = await res.text();
		return {
			status: res.status,
			effective: effectiveStatus(res.status, text),
			text,
			headers: res.headers
		};
	} catch (err) {
		return {
			status: 0,
			effective: 0,
			text: String(err?.cause?.code ?? err?.message ?? err),
			headers: new Headers()
		};
	}
}

/** An action's JSON answer says its real status inside a 200; a plain answer is its own status. */
function effectiveStatus(status, text) {
	if (status !== 200 || !text.startsWith('{')) return status;
	try {
		const j = JSON.parse(text);
		if (j.type === 'failure' || j.type === 'redirect') return j.status;
		if (j.type === 'success') return j.status ?? 200;
	} catch {
		/* not an action answer */
	}
	return status;
}

/** The thread token a create answered with (JSON redirect or Location header), else null. */
export function threadTokenOf(res) {
	let location = res.headers.get('location');
	if (!location && res.text.startsWith('{')) {
		try {
			const j = JSON.parse(res.text);
			if (j.type === 'redirect') location = j.location;
		} catch {
			/* not JSON */
		}
	}
	return /^\/ticket\/thread\/([a-z2-7]{16}\.[a-z2-7]{32})$/.exec(location ?? '')?.[1] ?? null;
}

/** POSTs a create; acknowledged = answered with the thread link. */
export async function createTicket(server, title, files = [], opts = {}) {
	const { body, type } = multipart(formParts(createFields(title), files));
	const res = await send(server, `/ticket/${PROJECT}?/create`, { body, type, ...opts });
	return { ...res, token: threadTokenOf(res) };
}

/** POSTs a public reply; acknowledged = the action's success answer (or 200 page). */
export async function reply(server, token, text, files = [], opts = {}) {
	const { body, type } = multipart(formParts({ body: text, name: 'Battery' }, files));
	const res = await send(server, `/ticket/thread/${token}?/reply`, { body, type, ...opts });
	const acked =
		res.status === 200 && (opts.mode === 'html' ? true : /"type":"success"/.test(res.text));
	return { ...res, acked };
}

/** Runs `task(i)` for i < n with at most `limit` at a time. */
export async function pool(n, limit, task) {
	const results = new Array(n);
	let next = 0;
	async function worker() {
		while (next < n) {
			const i = next++;
			results[i] = await task(i);
		}
	}
	await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
	return results;
}
