// The bad bodies and uploads: malformed multipart, wrong content types, hostile files and names.
// Each case says what a correct server may do with it; the runner checks the answers and the data.
import { createFields, formParts, multipart, PROJECT } from './http.js';
import { hostileFiles } from './hostile-files.js';

const MB = 1024 * 1024;
const enc = (s) => Buffer.from(s);

/** Malformed or unexpected bodies for a form action (fields = a valid form otherwise). */
function malformedBodies(fields) {
	const good = multipart(
		formParts(fields, [{ name: 'a.txt', type: 'text/plain', data: enc('hello\n') }]),
		'XyZbattery'
	);
	const raw = (parts) => multipart(parts, 'XyZbattery').body;
	const cut = good.body.subarray(0, Math.floor(good.body.length * 0.6));
	const fieldParts = formParts(fields).map((p) => ({ ...p }));
	return [
		{
			label: 'multipart, wrong boundary',
			body: good.body,
			type: 'multipart/form-data; boundary=NotTheBoundary'
		},
		{ label: 'multipart, no boundary', body: good.body, type: 'multipart/form-data' },
		{ label: 'multipart, empty boundary', body: good.body, type: 'multipart/form-data; boundary=' },
		{ label: 'multipart, truncated body', body: cut, type: good.type },
		{
			label: 'multipart, no closing delimiter',
			body: good.body.subarray(0, good.body.length - 16),
			type: good.type
		},
		{ label: 'multipart, 200-char boundary', ...multipart(formParts(fields), 'b'.repeat(200)) },
		{
			label: 'multipart, raw quote in filename',
			body: raw([
				...fieldParts,
				{ name: 'files', filename: 'a"b.txt', type: 'text/plain', data: 'x' }
			]),
			type: good.type
		},
		{
			label: 'multipart, raw CR/LF in filename',
			body: raw([
				...fieldParts,
				{ name: 'files', filename: 'a\r\nX-Injected: 1\r\n.txt', type: 'text/plain', data: 'x' }
			]),
			type: good.type
		},
		{
			label: 'multipart, part without headers',
			body: raw([...fieldParts, { headers: '', data: 'orphan' }]),
			type: good.type
		},
		{
			label: 'multipart, part without name',
			body: raw([...fieldParts, { headers: 'Content-Disposition: form-data\r\n', data: 'x' }]),
			type: good.type
		},
		{
			label: 'multipart, nested multipart/mixed',
			body: raw([
				...fieldParts,
				{
					headers:
						'Content-Disposition: form-data; name="files"\r\nContent-Type: multipart/mixed; boundary=inner\r\n',
					data: '--inner\r\nContent-Disposition: file; filename="x.txt"\r\n\r\nx\r\n--inner--'
				}
			]),
			type: good.type
		},
		{
			label: 'multipart, 2000 fields',
			body: raw([
				...fieldParts,
				...Array.from({ length: 2000 }, (_, i) => ({ name: `f${i}`, data: 'x' }))
			]),
			type: good.type
		},
		{
			label: 'multipart, non-UTF-8 field bytes',
			body: raw(
				fieldParts.map((p) =>
					p.name === 'description' ? { ...p, data: Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80]) } : p
				)
			),
			type: good.type
		},
		{
			label: 'multipart, NUL and C0 in title',
			body: raw(
				fieldParts.map((p) =>
					p.name === 'title' ? { ...p, data: p.data + '\u0000\u0007\u001b[31m' } : p
				)
			),
			type: good.type
		},
		{
			label: 'multipart, quoted boundary parameter',
			body: good.body,
			type: 'multipart/form-data; boundary="XyZbattery"'
		},
		{
			label: 'multipart, LF-only line endings',
			body: Buffer.from(good.body.toString('latin1').replaceAll('\r\n', '\n'), 'latin1'),
			type: good.type
		},
		{
			label: 'multipart, filename*= with traversal',
			body: raw([
				...fieldParts,
				{
					headers:
						'Content-Disposition: form-data; name="files"; filename*=UTF-8\'\'..%2F..%2Fpasswd\r\nContent-Type: text/plain\r\n',
					data: 'x'
				}
			]),
			type: good.type
		},
		{
			label: 'multipart, every field twice',
			body: raw([...fieldParts, ...fieldParts.map((p) => ({ ...p, data: 'second ' + p.data }))]),
			type: good.type
		},
		{
			label: 'multipart, part Content-Type with CR/LF injection',
			body: raw([
				...fieldParts,
				{
					headers:
						'Content-Disposition: form-data; name="files"; filename="a.txt"\r\nContent-Type: text/plain\rX-Evil: 1\r\n',
					data: 'x'
				}
			]),
			type: good.type
		},
		{
			label: 'multipart body, urlencoded type',
			body: good.body,
			type: 'application/x-www-form-urlencoded'
		},
		{
			label: 'urlencoded, bad percent escapes',
			body: enc(new URLSearchParams(fields).toString() + '&x=%zz%'),
			type: 'application/x-www-form-urlencoded'
		},
		{
			label: 'text/plain body',
			body: enc(
				Object.entries(fields)
					.map(([k, v]) => `${k}=${v}`)
					.join('\r\n')
			),
			type: 'text/plain'
		},
		{
			label: 'text/plain;charset=utf-8 body',
			body: enc('title=x'),
			type: 'text/plain;charset=UTF-8'
		},
		{ label: 'json body', body: enc(JSON.stringify(fields)), type: 'application/json' },
		{ label: 'xml body', body: enc('<a>1</a>'), type: 'application/xml' },
		{ label: 'no content type', body: enc('title=x'), type: null },
		{ label: 'empty multipart body', body: Buffer.alloc(0), type: good.type },
		{
			label: 'binary garbage as multipart',
			body: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256)),
			type: good.type
		}
	];
}

/**
 * All cases for the create and reply actions. `target` builds the path; each case gets a nonce
 * (the create's title or the reply's body) so the runner can find what was stored.
 */
export async function actionCases(kind, threadToken) {
	const files = await hostileFiles();
	const path =
		kind === 'create' ? `/ticket/${PROJECT}?/create` : `/ticket/thread/${threadToken}?/reply`;
	const fieldsFor = (nonce) =>
		kind === 'create' ? createFields(nonce) : { body: nonce, name: 'Battery' };
	const cases = [];
	let n = 0;
	const nonce = () => `bb-${kind}-${++n}-${Date.now().toString(36)}`;
	for (const mode of ['json', 'html']) {
		for (const m of malformedBodies(fieldsFor('__'))) {
			const id = nonce();
			const body = Buffer.from(m.body.toString('latin1').replaceAll('__', id), 'latin1');
			cases.push({
				kind,
				label: `${kind} ${mode}: ${m.label}`,
				path,
				body,
				type: m.type,
				mode,
				nonce: id,
				expectFiles: null
			});
		}
		for (const f of files) {
			const id = nonce();
			const mp = multipart(formParts(fieldsFor(id), [f]));
			cases.push({
				kind,
				label: `${kind} ${mode}: ${f.label}`,
				path,
				...mp,
				mode,
				nonce: id,
				expectFiles: f.empty ? 0 : 1,
				refuse: !!f.refuse
			});
		}
	}
	// Over the whole-body and file-count limits.
	const big = (i) => ({
		name: `b${i}.txt`,
		type: 'text/plain',
		data: Buffer.alloc(900 * 1024, 0x61 + i)
	});
	const id1 = nonce();
	cases.push({
		kind,
		label: `${kind}: 3 files over the total limit`,
		path,
		...multipart(formParts(fieldsFor(id1), [0, 1, 2].map(big))),
		mode: 'json',
		nonce: id1,
		refuse: true
	});
	const id2 = nonce();
	const six = Array.from({ length: 6 }, (_, i) => ({
		name: `s${i}.txt`,
		type: 'text/plain',
		data: enc(`file ${i}\n`)
	}));
	cases.push({
		kind,
		label: `${kind}: 6 files (max 5)`,
		path,
		...multipart(formParts(fieldsFor(id2), six)),
		mode: 'json',
		nonce: id2,
		refuse: true
	});
	const id3 = nonce();
	const chunked = multipart(
		formParts(fieldsFor(id3), [
			{ name: 'c.txt', type: 'text/plain', data: Buffer.alloc(3 * MB, 0x62) }
		])
	);
	cases.push({
		kind,
		label: `${kind}: 3 MB chunked, no Content-Length`,
		path,
		body: chunked.body,
		type: chunked.type,
		stream: true,
		mode: 'json',
		nonce: id3,
		refuse: true
	});
	return cases;
}
