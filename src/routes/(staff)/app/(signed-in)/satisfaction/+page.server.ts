import { app } from '$lib/server/app';
import { requireStaff } from '$lib/server/auth/guard';
import * as csat from '$lib/server/csat';
import * as projects from '$lib/server/projects';
import type { PageServerLoad } from './$types';

const DAY = 86_400_000;
const PERIODS = ['7', '30', '90', 'range'] as const;
type Period = (typeof PERIODS)[number];

/** A `YYYY-MM-DD` as UTC midnight, or null. */
function dateOf(v: string | null): number | null {
	if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
	const t = Date.parse(`${v}T00:00:00Z`);
	return Number.isNaN(t) ? null : t;
}
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Inbox → Satisfaction: the share of "solved" among answers, per project and period. */
export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const { db } = app();
	const q = event.url.searchParams;
	const all = await projects.listNames(db);
	const project = all.find((p) => p.key === q.get('project')) ?? null;
	const period: Period = (PERIODS as readonly string[]).includes(q.get('period') ?? '')
		? (q.get('period') as Period)
		: '30';
	const now = Date.now();
	let from = now - Number(period === 'range' ? 30 : period) * DAY;
	let to = now;
	let invalid = false;
	if (period === 'range') {
		const a = dateOf(q.get('from'));
		const b = dateOf(q.get('to'));
		if (a === null || b === null || b < a) invalid = true;
		else {
			from = a;
			to = b + DAY; // the end date is included
		}
	}
	const report = await csat.report(db, { projectId: project?.id ?? null, from, to });
	return {
		projects: all.map((p) => ({ key: p.key, name: p.name })),
		filter: {
			project: project?.key ?? '',
			period,
			from: q.get('from') ?? ymd(from),
			to: q.get('to') ?? ymd(to)
		},
		invalid,
		range: { from: ymd(from), to: ymd(to - 1) },
		report
	};
};
