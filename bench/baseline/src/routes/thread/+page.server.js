// The thread page's content without the portal: the same shape and amount of data (a ticket, 20
// messages, 2 attachments, a reply form's values) from a server load, but from memory instead of
// a database, and no hooks, layout, translations or CSP. "Thread page ÷ this" is how close the
// portal's thread page comes to what this SvelteKit version can do with the same content.
const started = Date.UTC(2026, 10, 30, 12);
const id = (i) => `m${String(i).padStart(15, '0')}`;

/** @type {import('./$types').PageServerLoad} */
export function load() {
	const messages = [];
	for (let i = 0; i < 20; i++)
		messages.push({
			id: id(i),
			kind: 'message',
			event: null,
			author: 'Bench Reporter',
			from: 'you',
			body: i
				? `Reply number ${i}: still happening after a restart.`
				: 'Here are two screenshots of it.',
			createdAt: started + i * 60_000
		});
	return {
		project: { key: 'demo', name: 'Demo Project' },
		ticket: {
			title: 'Benchmark ticket 0',
			description:
				'The export button does nothing after the last update. Steps: open Reports, press Export.',
			status: 'open',
			createdAt: started,
			reporter: 'Bench Reporter'
		},
		me: { address: 'bench-0@example.com' },
		messages,
		attachments: [1, 2].map((n) => ({
			id: `a${String(n).padStart(15, '0')}`,
			name: `screenshot-${n}.jpg`,
			mime: 'image/jpeg',
			size: 61272,
			width: 357,
			height: 357
		})),
		form: { name: 'Bench Reporter', body: '' }
	};
}
