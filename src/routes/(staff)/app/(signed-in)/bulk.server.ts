import { app } from '$lib/server/app';
import { requireStaff } from '$lib/server/auth/guard';
import type { TicketStatus } from '$lib/server/db/schema';
import { DomainError } from '$lib/server/errors';
import * as staff from '$lib/server/staff';
import * as tickets from '$lib/server/tickets';
import { fail, type RequestEvent } from '@sveltejs/kit';

// The inbox's bulk action, in two plain form posts so it works without JavaScript: `bulk`
// names the selection and the change and answers a confirmation ("Change 25 tickets?") that
// carries each ticket with the project it was in; `bulkApply` changes them all in one
// transaction or none, saying why.

const STATUS_LABELS: Record<TicketStatus, string> = {
	open: 'Open',
	waiting: 'Waiting',
	resolved: 'Resolved',
	rejected: 'Rejected'
};

/** The bulk form's "Change" choices: value → label, for the page and for the confirmation. */
export async function bulkChoices() {
	const { db } = app();
	const [people, types] = await Promise.all([
		tickets.assignable(db),
		staff.filterOptions(db).then((o) => o.types)
	]);
	return {
		status: Object.entries(STATUS_LABELS).map(([v, l]) => ({ value: `status:${v}`, label: l })),
		type: types.map((t) => ({ value: `type:${t.key}`, label: t.name })),
		assignee: [
			{ value: 'assignee:0', label: 'Nobody (unassign)' },
			...people.map((p) => ({ value: `assignee:${p.id}`, label: p.name }))
		],
		tag: [
			{ value: 'addTag', label: 'Add tag…' },
			{ value: 'removeTag', label: 'Remove tag…' }
		]
	};
}

/** The change a posted `change` (and `tag`) stand for, or a sentence saying what is missing. */
function parseChange(form: FormData): staff.bulk.BulkChange | string {
	const raw = String(form.get('change') ?? '');
	const [kind, value = ''] = raw.split(/:(.*)/s);
	const tag = String(form.get('tag') ?? '').trim();
	if (kind === 'status' && value in STATUS_LABELS) return { kind, status: value as TicketStatus };
	if (kind === 'type' && value) return { kind, type: value };
	if (kind === 'assignee' && /^\d+$/.test(value))
		return { kind, assigneeId: Number(value) || null };
	if (kind === 'addTag' || kind === 'removeTag')
		return tag ? { kind, tag } : 'Enter the tag to add or remove.';
	return 'Choose what to change.';
}

async function describe(form: FormData, change: staff.bulk.BulkChange) {
	const choices = await bulkChoices();
	const all = [...choices.status, ...choices.type, ...choices.assignee];
	const label = all.find((c) => c.value === form.get('change'))?.label ?? '';
	switch (change.kind) {
		case 'status':
			return `Set the status to ${label}`;
		case 'type':
			return `Set the type to ${label}`;
		case 'assignee':
			return change.assigneeId ? `Assign to ${label}` : 'Unassign';
		case 'addTag':
			return `Add the tag “${change.tag.toLowerCase()}”`;
		case 'removeTag':
			return `Remove the tag “${change.tag.toLowerCase()}”`;
	}
}

const ids = (values: FormDataEntryValue[]) =>
	values.map((v) => Number(v)).filter((n) => Number.isSafeInteger(n) && n > 0);

/** Step one: the selection (ticked rows, or the whole page) and the change → a confirmation. */
export async function preview(event: RequestEvent) {
	requireStaff(event);
	const form = await event.request.formData();
	const selected = new Set(ids(form.getAll('ids')));
	if (form.get('all') === 'page') for (const id of ids(form.getAll('page_ids'))) selected.add(id);
	const change = parseChange(form);
	if (selected.size === 0) return fail(400, { bulk: { error: 'Select at least one ticket.' } });
	if (typeof change === 'string') return fail(400, { bulk: { error: change } });
	if (selected.size > staff.bulk.BULK_MAX)
		return fail(400, { bulk: { error: `Change at most ${staff.bulk.BULK_MAX} tickets at once.` } });
	const rows = await staff.bulk.selection(app().db, [...selected]);
	return {
		bulk: {
			confirm: {
				what: await describe(form, change),
				change: String(form.get('change')),
				tag: String(form.get('tag') ?? ''),
				tickets: rows.map((r) => ({ key: `${r.id}:${r.projectId}`, title: r.title }))
			}
		}
	};
}

/** Step two: the confirmed tickets all change, or none (400 with the reason). */
export async function applyConfirmed(event: RequestEvent) {
	const user = requireStaff(event);
	const form = await event.request.formData();
	const change = parseChange(form);
	if (typeof change === 'string') return fail(400, { bulk: { error: change } });
	const expected = new Map<number, number>();
	for (const v of form.getAll('t')) {
		const [id, project] = String(v).split(':').map(Number);
		if (id > 0 && project > 0) expected.set(id, project);
	}
	try {
		const n = await staff.bulk.apply(app().db, { expected, change, actor: user });
		const s = (k: number) => `${k} ticket${k === 1 ? '' : 's'}`;
		return {
			bulk: {
				done:
					n === expected.size
						? `${s(n)} changed.`
						: `${s(n)} changed; ${s(expected.size - n)} already were that way.`
			}
		};
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		return fail(400, { bulk: { error: err.message } });
	}
}
