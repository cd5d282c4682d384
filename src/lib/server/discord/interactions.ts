import { m } from '$lib/paraglide/messages.js';
import { baseLocale, type Locale } from '$lib/paraglide/runtime.js';
import { toShipped } from '$lib/server/i18n/resolve';
import type { Db } from '$lib/server/db';
import type { Project } from '$lib/server/db/schema';
import { recipientLinks } from '$lib/server/notifications/compose';
import * as projects from '$lib/server/projects';
import { retryIn } from '$lib/server/rate-limit';
import * as tickets from '$lib/server/tickets';
import { checkBasics, formLang, modal, planForm, rawValues, readSubmit } from './form';
import type { Input, Lang } from './form';
import * as guilds from './guilds';
import type { DiscordLimits } from './limits';
import type { DiscordSession } from '$lib/server/db/schema';
import * as sessions from './sessions';
import { readFields, snapshot, templateFor, type FullTemplate } from './template';

export const InteractionType = {
	PING: 1,
	APPLICATION_COMMAND: 2,
	MESSAGE_COMPONENT: 3,
	MODAL_SUBMIT: 5
} as const;
export const ResponseType = { PONG: 1, CHANNEL_MESSAGE: 4, MODAL: 9 } as const;
/** Only the person who ran the command sees it; no link previews (they would fetch the token link). */
const PRIVATE = 64 | 4;

export interface DiscordUser {
	id: string;
	username?: string;
	global_name?: string | null;
}

/** The parts of a Discord interaction the portal reads. */
export interface Interaction {
	type: number;
	/** The user's Discord client language (`de`, `en-US`, `es-ES`, …). */
	locale?: string;
	guild_id?: string;
	member?: { user?: DiscordUser };
	user?: DiscordUser;
	data?: {
		name?: string;
		options?: { name: string; value?: unknown }[];
		custom_id?: string;
		components?: { components?: { custom_id?: string; value?: unknown }[] }[];
	};
}

export interface InteractionContext {
	db: Db;
	secret: Uint8Array;
	/** ORIGIN: links are built from it, never from the request. */
	origin: string;
	limits: DiscordLimits;
	formTtlMs: number;
}

export interface Outcome {
	response: { type: number; data?: unknown };
	/** A ticket was created (the caller kicks the outbox). */
	created?: boolean;
}

/** The synthetic fallback address of a Discord reporter: a reserved domain, never mailed. */
export function syntheticEmail(userId: string): string {
	return `${userId}@users.discord.invalid`;
}

/** The name a Discord user goes by: their display name, else their username; one bounded line. */
export function displayNameOf(user: DiscordUser): string {
	const name = (user.global_name || user.username || 'Discord user')
		.replace(/[\u0000-\u001f\u007f]+/g, ' ')
		.trim();
	return name.slice(0, 100) || 'Discord user';
}

const say = (content: string, components?: unknown[]): Outcome => ({
	response: {
		type: ResponseType.CHANNEL_MESSAGE,
		data: {
			content: content.slice(0, 2000),
			flags: PRIVATE,
			allowed_mentions: { parse: [] },
			...(components ? { components } : {})
		}
	}
});

const button = (label: string, customId: string) => [
	{ type: 1, components: [{ type: 2, style: 1, label, custom_id: customId }] }
];

const stepId = (s: DiscordSession, step: number) => `ticket:${s.public_id}:${step}`;

function parseStepId(customId: string | undefined): { id: string; step: number } | null {
	const m = /^ticket:([a-z2-7]{16}):(\d{1,2})$/.exec(customId ?? '');
	return m ? { id: m[1], step: Number(m[2]) } : null;
}

/**
 * Answers one (already verified) interaction: PING, the /ticket command, a "Continue" button or
 * a modal submit. Never throws for bad input; the reply says what to do. Replies come in the
 * Discord client's language (else English); once the project is known, the form and its replies
 * in the client's language if the project offers it, else in the project's default language.
 */
export async function handle(
	ctx: InteractionContext,
	i: Interaction,
	now = Date.now()
): Promise<Outcome> {
	if (i.type === InteractionType.PING) return { response: { type: ResponseType.PONG } };
	const o: Lang = { locale: toShipped(i.locale) ?? (baseLocale as Locale) };
	const user = i.member?.user ?? i.user;
	if (!user || !/^\d{5,25}$/.test(user.id)) return say(m.mail_discord_who({}, o));
	if (i.type === InteractionType.APPLICATION_COMMAND && i.data?.name === 'ticket')
		return startForm(ctx, i, user, now, o);
	const ref = parseStepId(i.data?.custom_id);
	if (!ref) return say(m.mail_discord_unknown({}, o));
	const session = await sessions.find(ctx.db, ref.id, user.id, now);
	if (!session) return say(m.mail_discord_expired({}, o));
	const form = await loadForm(ctx, session, i.locale);
	if (!form || ref.step >= form.steps.length) return say(m.mail_discord_expired({}, o));
	if (i.type === InteractionType.MESSAGE_COMPONENT) {
		return {
			response: {
				type: ResponseType.MODAL,
				data: stepModal(form, session, ref.step, sessions.answersOf(session))
			}
		};
	}
	if (i.type === InteractionType.MODAL_SUBMIT)
		return submitStep(ctx, i, user, session, form, ref.step, now);
	return say(m.mail_discord_unknown({}, o));
}

interface Form {
	project: Project;
	template: FullTemplate | null;
	steps: Input[][];
	/** The form's language (labels, hints, checks and the replies about it). */
	lang: Lang;
}

async function loadForm(
	ctx: InteractionContext,
	s: DiscordSession,
	discordLocale: string | undefined
): Promise<Form | null> {
	const project = await ctx.db
		.selectFrom('projects')
		.selectAll()
		.where('id', '=', s.project_id)
		.executeTakeFirst();
	if (!project) return null;
	const template =
		s.ticket_type_id === null
			? null
			: await templateFor(ctx.db, ctx.secret, project, s.ticket_type_id);
	const lang = formLang(discordLocale, project);
	const plan = planForm(template, lang);
	return plan.ok ? { project, template, steps: plan.steps, lang } : null;
}

function stepModal(form: Form, s: DiscordSession, step: number, answers: Record<string, string>) {
	const o = form.lang;
	const n = form.steps.length;
	const title =
		n > 1
			? m.mail_discord_modal_step({ step: step + 1, total: n }, o)
			: m.mail_discord_modal_title({ project: form.project.name }, o);
	return modal(stepId(s, step), title, form.steps[step], answers);
}

async function startForm(
	ctx: InteractionContext,
	i: Interaction,
	user: DiscordUser,
	now: number,
	discord: Lang
): Promise<Outcome> {
	let o = discord;
	if (!i.guild_id) return say(m.mail_discord_no_guild({}, o));
	const project = await guilds.projectFor(ctx.db, i.guild_id);
	if (!project) {
		const command = `\`npm run portal -- discord link --guild ${i.guild_id} --project <key>\``;
		return say(m.mail_discord_not_linked({ command }, o));
	}
	o = formLang(i.locale, project);
	const types = await projects.listTypes(ctx.db, project.id);
	const wanted = i.data?.options?.find((o) => o.name === 'type')?.value;
	const type = types.find((t) => t.key === wanted) ?? projects.defaultType(project, types);
	const template = type ? await templateFor(ctx.db, ctx.secret, project, type.id) : null;
	const plan = planForm(template, o);
	if (!plan.ok) {
		const fields = plan.blocking.map((f) => m.mail_discord_field({ label: f.label }, o)).join(', ');
		const url = `${ctx.origin}/ticket/${project.key}`;
		return say(m.mail_discord_web_only({ fields, url }, o));
	}
	const session = await sessions.start(
		ctx.db,
		{ userId: user.id, guildId: i.guild_id, projectId: project.id, ticketTypeId: type?.id ?? null },
		ctx.formTtlMs,
		now
	);
	const form = { project, template, steps: plan.steps, lang: o };
	return { response: { type: ResponseType.MODAL, data: stepModal(form, session, 0, {}) } };
}

/** Error messages by input id, for the inputs given (all when omitted). */
function problems(form: Form, answers: Record<string, string>, inputs?: Input[]): string[] {
	const basics = checkBasics(answers, form.lang);
	const fields = readFields(form.template, rawValues(form.template, answers));
	const ids = new Set((inputs ?? form.steps.flat()).map((x) => x.id));
	const out = Object.entries(basics)
		.filter(([id]) => ids.has(id))
		.map(([, m]) => m);
	if (!fields.ok) {
		for (const [key, messages] of Object.entries(fields.errors))
			if (ids.has(`cf_${key}`)) out.push(...messages);
	}
	return out;
}

async function submitStep(
	ctx: InteractionContext,
	i: Interaction,
	user: DiscordUser,
	session: DiscordSession,
	form: Form,
	step: number,
	now: number
): Promise<Outcome> {
	const o = form.lang;
	const check = (wrong: string[], at: number) =>
		say(
			`${m.mail_discord_check({}, o)}\n- ${wrong.join('\n- ')}`,
			button(m.mail_discord_fix({}, o), stepId(session, at))
		);
	const inputs = form.steps[step];
	const answers = { ...sessions.answersOf(session), ...readSubmit(inputs, i.data?.components) };
	await sessions.save(ctx.db, session, answers, ctx.formTtlMs, now);
	const wrong = problems(form, answers, inputs);
	if (wrong.length) return check(wrong, step);
	const last = form.steps.length - 1;
	if (step < last) {
		return say(
			m.mail_discord_step_saved({ step: step + 1, total: form.steps.length }, o),
			button(m.mail_discord_continue({}, o), stepId(session, step + 1))
		);
	}
	// Every step again: a template may have changed since the earlier modals.
	const firstWrong = form.steps.findIndex((inp) => problems(form, answers, inp).length);
	if (firstWrong >= 0) return check(problems(form, answers, form.steps[firstWrong]), firstWrong);
	const limit = await ctx.limits.create(user.id);
	if (!limit.ok) {
		const why =
			limit.name === 'create-global'
				? m.mail_discord_limit_global({}, o)
				: m.mail_discord_limit_user({}, o);
		return say(
			`${why} ${retryIn(limit.retryAfterSec, o.locale)} ${m.mail_discord_kept({}, o)}`,
			button(m.mail_discord_try_again({}, o), stepId(session, last))
		);
	}
	const fields = readFields(form.template, rawValues(form.template, answers));
	const { ticket, reporter } = await tickets.create(
		ctx.db,
		{
			projectId: form.project.id,
			ticketTypeId: session.ticket_type_id,
			templateId: form.template?.id ?? null,
			title: answers.title.trim(),
			description: answers.description.trim(),
			reporterEmail: syntheticEmail(user.id),
			reporterName: null,
			// Their DMs (staff replies, status changes) come in the form's language (none: default).
			reporterLocale: toShipped(i.locale) ? o.locale : null,
			source: 'discord',
			discordUserId: user.id,
			discordDisplayName: displayNameOf(user),
			customFields: fields.ok ? fields.values : {},
			customFieldsSchema: snapshot(form.template)
		},
		now
	);
	await sessions.finish(ctx.db, session);
	const link = recipientLinks(ctx.origin, ctx.secret, form.project, reporter).thread;
	return {
		created: true,
		response: say(
			[
				m.mail_discord_created({ title: ticket.title, project: form.project.name }, o),
				m.mail_discord_follow({ link }, o),
				m.mail_discord_dm_hint({}, o)
			].join('\n')
		).response
	};
}
