import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import { refused } from '$lib/server/http/refused';
import * as projects from '$lib/server/projects';
import * as tickets from '$lib/server/tickets';
import { roundRobinSchema } from '$lib/schemas/workflow';
import { error, type RequestEvent } from '@sveltejs/kit';
import { fail, message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';

/** The round-robin part of a project's settings: which agents new tickets go to in turn. */
export async function roundRobinSettings(projectId: number) {
	const { db } = app();
	const [people, chosen] = await Promise.all([
		tickets.assignable(db),
		tickets.roundRobinOf(db, projectId)
	]);
	return {
		people: people.map((p) => ({ id: p.id, name: p.name, email: p.email })),
		form: await superValidate({ agents: chosen }, zod4(roundRobinSchema), {
			errors: false,
			id: 'round-robin'
		})
	};
}

export const roundRobinActions = {
	roundRobin: async (event: RequestEvent) => {
		requireAdmin(event);
		const p = await projects.findByKey(app().db, event.params.key!);
		if (!p) error(404, 'Page not found');
		const form = await superValidate(event.request, zod4(roundRobinSchema), { id: 'round-robin' });
		if (!form.valid) return fail(400, { form });
		try {
			await tickets.setRoundRobin(app().db, p.id, form.data.agents);
		} catch (err) {
			return refused(form, err);
		}
		const n = new Set(form.data.agents).size;
		return message(
			form,
			n
				? `New tickets go to ${n} agent${n === 1 ? '' : 's'} in turn.`
				: 'Round-robin is off: new tickets stay unassigned.'
		);
	}
};
