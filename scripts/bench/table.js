// The benchmark's printed table.
const f = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '—');

export function table(rows) {
	const head = ['Measure', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'spread'];
	const body = rows.map((r) => [
		r.label,
		f(r.rps),
		f(r.p50, 1),
		f(r.p99, 1),
		r.ratio ?? '',
		r.spread === undefined ? '' : `±${f(r.spread / 2)} %`
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
	const line = (cells) =>
		'| ' +
		cells
			.map((c, i) => (i ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
			.join(' | ') +
		' |';
	return [
		line(head),
		'|' + widths.map((w, i) => (i ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|',
		...body.map(line)
	].join('\n');
}

export const ratio = (a, b, name) => (a && b ? `${(a / b).toFixed(2)}× ${name}` : '');
