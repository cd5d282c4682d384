// Load generation with autocannon, and rounds interleaved across measures (A B C … A B C …) so
// that the noise of a busy machine hits every row alike; each row reports its median round.
import autocannon from 'autocannon';

/** One autocannon run: req/s, p50/p99 latency (ms) and the status codes seen. */
export async function hit(spec, seconds, connections = 50) {
	const r = await autocannon({
		url: spec.url,
		method: spec.method ?? 'GET',
		headers: spec.headers,
		body: spec.body,
		connections: spec.connections ?? connections,
		duration: seconds,
		timeout: 30
	});
	const codes = Object.fromEntries(
		Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])
	);
	const total = Object.values(codes).reduce((a, b) => a + b, 0);
	const expected = spec.status ?? 200;
	const good = codes[expected] ?? 0;
	return {
		rps: good / r.duration,
		p50: r.latency.p50,
		p99: r.latency.p99,
		codes,
		unexpected: total - good + r.errors + r.timeouts
	};
}

const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Spread of the rounds: (max − min) ÷ median, in percent. */
const spread = (xs) => {
	const m = median(xs);
	return m ? ((Math.max(...xs) - Math.min(...xs)) / m) * 100 : 0;
};

/**
 * Runs every spec once per round, interleaved, `rounds` times (after one short warm-up pass);
 * returns one summary per spec: median req/s and latencies and the spread over rounds.
 */
export async function interleave(
	specs,
	{ rounds, seconds, warmup = 1, onRound, connections } = {}
) {
	const once = (s, sec) => (s.run ? s.run(sec) : hit(s, sec, connections));
	for (const s of specs) await once(s, warmup);
	const runs = new Map(specs.map((s) => [s.key, []]));
	for (let i = 0; i < rounds; i++) {
		for (const s of specs) {
			if (s.before) await s.before();
			runs.get(s.key).push(await once(s, s.seconds ?? seconds));
		}
		onRound?.(i + 1);
	}
	return Object.fromEntries(
		specs.map((s) => {
			const r = runs.get(s.key);
			const codes = {};
			for (const x of r)
				for (const [k, v] of Object.entries(x.codes)) codes[k] = (codes[k] ?? 0) + v;
			return [
				s.key,
				{
					label: s.label,
					rps: median(r.map((x) => x.rps)),
					p50: median(r.map((x) => x.p50)),
					p99: median(r.map((x) => x.p99)),
					spread: spread(r.map((x) => x.rps)),
					rounds: r.map((x) => Math.round(x.rps)),
					unexpected: r.reduce((a, x) => a + x.unexpected, 0),
					codes
				}
			];
		})
	);
}

export { median, spread };
