import { app } from '$lib/server/app';
import * as csat from '$lib/server/csat';
import { csatText } from '$lib/server/csat/text';
import { m } from '$lib/paraglide/messages.js';
import * as threads from '$lib/server/threads';
import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

// "Did this solve it?" for the link holder. Mail links open this page with ?answer=yes|no
// preselected; only the page's POST records (mail scanners follow links with GETs).

async function threadOr404(token: string) {
	const thread = await threads.findByToken(app().db, app().secret, token);
	if (!thread) error(404, 'Page not found');
	return thread;
}

const PRESELECT: Record<string, csat.Answer> = { yes: 'solved', no: 'not_solved' };

/** The round this link holder may answer: only the reporter, only while it is open. */
async function roundOf(thread: NonNullable<Awaited<ReturnType<typeof threads.findByToken>>>) {
	if (thread.recipient.role !== 'reporter') return null;
	return csat.openRound(app().db, thread.ticket);
}

export const load: PageServerLoad = async ({ params, url }) => {
	const thread = await threadOr404(params.token);
	const round = await roundOf(thread);
	return {
		title: thread.ticket.title,
		project: thread.project.name,
		round,
		text: {
			...csatText(),
			intro: m.csat_page_intro({ title: thread.ticket.title }),
			saved: m.csat_saved(),
			replyHint: m.csat_reply_hint(),
			closed: m.csat_closed(),
			back: m.csat_back()
		},
		preselect: PRESELECT[url.searchParams.get('answer') ?? ''] ?? round?.answer ?? null
	};
};

export const actions: Actions = {
	default: async ({ params, request }) => {
		const thread = await threadOr404(params.token);
		const data = await request.formData();
		const answer = String(data.get('answer') ?? '');
		const comment = String(data.get('comment') ?? '');
		if (!(csat.ANSWERS as string[]).includes(answer))
			return fail(400, { choose: true, comment: comment.slice(0, csat.COMMENT_MAX) });
		const done = await csat.answer(app().db, thread, { answer: answer as csat.Answer, comment });
		if (!done.ok) return fail(409, { closed: true });
		return { saved: true };
	}
};
