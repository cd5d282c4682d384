// Bad requests for the routes without a form: the thread poll, downloads and the unsubscribe POST.
const MB = 1024 * 1024;

/** A body stream of `bytes` bytes in 64 KB chunks, sent without Content-Length. */
export function streamOf(bytes, fill = 0x61) {
	let sent = 0;
	const chunk = Buffer.alloc(64 * 1024, fill);
	const stream = new ReadableStream({
		pull(controller) {
			if (sent >= bytes) return controller.close();
			const n = Math.min(chunk.length, bytes - sent);
			sent += n;
			controller.enqueue(new Uint8Array(chunk.subarray(0, n)));
		}
	});
	/** Bytes handed to the connection so far (what the server read, give or take socket buffers). */
	stream.sent = () => sent;
	return stream;
}

export function pollCases(token) {
	const base = `/ticket/thread/${token}/messages`;
	const afters = [
		'',
		'x',
		'open',
		'open.0',
		'open.0.x',
		'nope.0.',
		'open.-1.',
		'open.zzzzzzzzzzzzzzzzzzzzzz.',
		'open.1.',
		'%00',
		'%ff%fe',
		'a'.repeat(10_000),
		'open.0.%0d%0aX-A:1',
		'..%2f..%2f'
	];
	const cases = afters.map((a) => ({
		label: `poll after=${a.slice(0, 24)}`,
		path: `${base}?after=${a}`,
		method: 'GET',
		mode: null
	}));
	cases.push({ label: 'poll without after', path: base, method: 'GET', mode: null });
	cases.push({
		label: 'poll, two afters',
		path: `${base}?after=open.0.&after=x`,
		method: 'GET',
		mode: null
	});
	cases.push({
		label: 'poll POST multipart',
		path: base,
		method: 'POST',
		body: Buffer.from('--x\r\n'),
		type: 'multipart/form-data; boundary=y',
		mode: null
	});
	cases.push({ label: 'poll DELETE', path: base, method: 'DELETE', mode: null });
	return cases;
}

export function downloadCases(token, attachmentId) {
	const base = `/ticket/thread/${token}/attachments`;
	const ids = [
		'',
		'x',
		'..%2f..%2fsecret.key',
		'..%2f..%2fportal.db',
		'%2e%2e',
		'a'.repeat(5000),
		'%00',
		attachmentId + '%00',
		attachmentId.toUpperCase(),
		attachmentId + '.thumb.webp'
	];
	const cases = ids.map((id) => ({
		label: `download id=${id.slice(0, 24)}`,
		path: `${base}/${id}`,
		method: 'GET',
		mode: null
	}));
	for (const v of ['thumb', 'display', '../../x', 'original', 'a'.repeat(2000)])
		cases.push({
			label: `download variant=${v.slice(0, 24)}`,
			path: `${base}/${attachmentId}?variant=${v}`,
			method: 'GET',
			mode: null
		});
	cases.push({
		label: 'download with Range beyond end',
		path: `${base}/${attachmentId}`,
		method: 'GET',
		headers: { range: 'bytes=999999999-' },
		mode: null
	});
	cases.push({
		label: 'download with bad Range',
		path: `${base}/${attachmentId}`,
		method: 'GET',
		headers: { range: 'bytes=5-1,zz' },
		mode: null
	});
	cases.push({
		label: 'download POST',
		path: `${base}/${attachmentId}`,
		method: 'POST',
		body: Buffer.from('x=1'),
		type: 'application/x-www-form-urlencoded',
		mode: null
	});
	return cases;
}

/** The unsubscribe POST: one-click bodies, scripted posts with bad bodies, and huge bodies. */
export function unsubscribeCases(token) {
	const path = `/ticket/unsubscribe/${token}`;
	const noOrigin = { origin: null };
	const cases = [
		{
			label: 'unsubscribe one-click, no Origin',
			path,
			body: Buffer.from('List-Unsubscribe=One-Click'),
			type: 'application/x-www-form-urlencoded',
			mode: null,
			headers: noOrigin
		},
		{
			label: 'unsubscribe one-click as text/plain, no Origin',
			path,
			body: Buffer.from('List-Unsubscribe=One-Click'),
			type: 'text/plain',
			mode: null,
			headers: noOrigin
		},
		{
			label: 'unsubscribe other body, no Origin',
			path,
			body: Buffer.from('intent=resubscribe'),
			type: 'application/x-www-form-urlencoded',
			mode: null,
			headers: noOrigin
		},
		{
			label: 'unsubscribe scripted, wrong boundary',
			path,
			body: Buffer.from(
				'--a\r\nContent-Disposition: form-data; name="intent"\r\n\r\nx\r\n--a--\r\n'
			),
			type: 'multipart/form-data; boundary=b',
			mode: 'json'
		},
		{
			label: 'unsubscribe scripted, no boundary',
			path,
			body: Buffer.from('--a\r\n'),
			type: 'multipart/form-data',
			mode: 'json'
		},
		{
			label: 'unsubscribe scripted, text/plain',
			path,
			body: Buffer.from('intent=resubscribe'),
			type: 'text/plain',
			mode: 'json'
		},
		{
			label: 'unsubscribe scripted, json',
			path,
			body: Buffer.from('{"intent":1}'),
			type: 'application/json',
			mode: 'json'
		},
		{
			label: 'unsubscribe scripted, 2 MB urlencoded',
			path,
			body: Buffer.alloc(2 * MB, 0x61),
			type: 'application/x-www-form-urlencoded',
			mode: 'json'
		},
		{
			label: 'unsubscribe plain post, resubscribe',
			path,
			body: Buffer.from('intent=resubscribe'),
			type: 'application/x-www-form-urlencoded',
			mode: 'html'
		}
	];
	// Bodies without Content-Length, sent in parallel, from another site (the one-click path looks
	// at such bodies): the answer must not wait for them, nor keep them in memory.
	const crossSite = [
		{ origin: 'https://evil.example' },
		{ origin: null, 'sec-fetch-site': 'cross-site' }
	];
	for (let i = 0; i < 6; i++)
		cases.push({
			label: `unsubscribe 45 MB chunked, ${i % 2 ? 'Sec-Fetch-Site cross-site' : 'foreign Origin'} #${i + 1}`,
			path,
			stream: 45 * MB,
			type: i < 4 ? 'application/x-www-form-urlencoded' : 'text/plain',
			mode: null,
			headers: crossSite[i % 2],
			parallel: true
		});
	return cases.map((c) => ({ method: 'POST', ...c }));
}
