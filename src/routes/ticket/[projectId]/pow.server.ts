import { app } from '$lib/server/app';
import type { Project } from '$lib/server/db/schema';
import {
	POW_FIELD,
	type PowChallenge,
	type Requirement,
	type VerifyOutcome
} from '$lib/server/pow';
import { m } from '$lib/paraglide/messages.js';
import type { PowText } from '$lib/shared/public-text';

/** What the create page gets about the browser check: a fresh challenge and why a POST failed. */
export interface PowView {
	challenge: PowChallenge;
	refused: string | null;
	/** The check's words, in the page's language (the page ships no message catalogue). */
	text: PowText;
}

type Who = { clientKey: string; project: Pick<Project, 'pow_mode'>; customerId: number | null };

/**
 * The check this client must pass on this project now; tickets by intake link need none. A POST
 * asks once and passes the answer to `checkPow` and, only when it fails, to `powView`.
 */
export async function powRequirement(who: Who): Promise<Requirement> {
	if (who.customerId !== null) return { required: false } as const;
	return app().pow.requirement(who.clientKey, who.project.pow_mode);
}

/** A fresh challenge when this client must solve one (page load, and every failed POST). */
export async function powView(who: Who, known?: Requirement): Promise<PowView | null> {
	const req = known ?? (await powRequirement(who));
	if (!req.required) return null;
	return { challenge: await app().pow.challenge(req.maxNumber), refused: null, text: powText() };
}

function powText(): PowText {
	return {
		checking: m.pow_checking(),
		failed: m.pow_failed(),
		needsJsTitle: m.pow_needs_js_title(),
		needsJs: m.pow_needs_js(),
		intake: m.pow_intake_alternative()
	};
}

const REFUSED: Record<Exclude<VerifyOutcome, { ok: true }>['reason'], () => string> = {
	missing: m.pow_refused_missing,
	invalid: m.pow_refused_invalid,
	too_easy: m.pow_refused_invalid,
	replayed: m.pow_refused_replayed,
	expired: m.pow_refused_expired
};

/**
 * Checks (and spends) the posted solution when this client must solve one. Returns the sentence
 * for the reporter when it is missing or refused, else null.
 */
export async function checkPow(
	who: Who,
	data: FormData,
	known?: Requirement
): Promise<string | null> {
	const req = known ?? (await powRequirement(who));
	if (!req.required) return null;
	const posted = data.get(POW_FIELD);
	const outcome = await app().pow.verify(
		app().db,
		typeof posted === 'string' && posted ? posted : null,
		req.maxNumber
	);
	return outcome.ok ? null : REFUSED[outcome.reason]();
}
