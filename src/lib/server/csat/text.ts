import { m } from '$lib/paraglide/messages.js';
import type { CsatText } from '$lib/shared/public-text';

/** The words of the "Did this solve it?" form, in the request's language. */
export function csatText(): CsatText {
	return {
		question: m.csat_question(),
		yes: m.csat_answer_yes(),
		no: m.csat_answer_no(),
		comment: m.csat_comment_label(),
		submit: m.csat_submit(),
		choose: m.csat_choose(),
		currentSolved: m.csat_current_solved(),
		currentNotSolved: m.csat_current_not_solved(),
		changeHint: m.csat_change_hint(),
		threadIntro: m.csat_thread_intro()
	};
}
