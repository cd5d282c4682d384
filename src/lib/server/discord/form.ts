import { m } from '$lib/paraglide/messages.js';
import {
	offered,
	resolveLocale,
	type Locale,
	type ProjectLanguages
} from '$lib/server/i18n/resolve';
import type { FieldDef, FullTemplate, RawValues } from './template';

/** Discord's limits for modals (https://discord.com/developers/docs/components/reference). */
export const INPUTS_PER_MODAL = 5;
const LABEL_MAX = 45;
const PLACEHOLDER_MAX = 100;
const VALUE_MAX = 4000;

export const TITLE_MIN = 3;
export const TITLE_MAX = 200;

/** One text input of a /ticket modal: the title, the description or a template field. */
export interface Input {
	/** `title`, `description` or `cf_<field key>`: the text input's custom_id. */
	id: string;
	label: string;
	/** 1 = one line, 2 = paragraph. */
	style: 1 | 2;
	required: boolean;
	minLength?: number;
	maxLength: number;
	placeholder?: string;
	field?: FieldDef;
}

export type Plan =
	| { ok: true; steps: Input[][] }
	/** A required field Discord cannot ask for: the reporter must use the web form. */
	| { ok: false; blocking: FieldDef[] };

/** Kinds with no faithful text-input form: several choices, or a tick box that must be ticked. */
const UNMAPPABLE = new Set(['multiselect', 'checkbox']);

const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max - 1) + '…' : s);

/** Message options: the language the form's labels, hints and checks are written in. */
export type Lang = { locale: Locale };

/**
 * The language of a project's Discord form: the user's Discord client language (`de`, `es-ES`)
 * when the project offers it, else the project's default language.
 */
export function formLang(discordLocale: string | undefined, project: ProjectLanguages): Lang {
	const { allowed, fallback } = offered(project);
	return {
		locale: resolveLocale({ choice: null, acceptLanguage: discordLocale, allowed, fallback })
	};
}

const HINTS: Partial<Record<FieldDef['kind'], (o: Lang) => string>> = {
	number: (o) => m.discord_form_number_hint({}, o),
	email: () => 'name@example.com',
	url: () => 'https://…',
	date: (o) => m.discord_form_date_hint({}, o)
};

function inputFor(f: FieldDef, o: Lang): Input {
	const long = f.kind === 'textarea';
	const placeholder =
		f.kind === 'select'
			? m.discord_form_one_of({ options: f.options.map((x) => x.label).join(', ') }, o)
			: (HINTS[f.kind]?.(o) ?? f.help) || undefined;
	const textual = f.kind === 'text' || f.kind === 'textarea';
	return {
		id: `cf_${f.key}`,
		label: clip(f.label, LABEL_MAX),
		style: long ? 2 : 1,
		required: true,
		minLength: textual && f.min !== null && f.min > 0 ? Math.min(f.min, VALUE_MAX) : undefined,
		maxLength: Math.min(textual && f.max !== null ? f.max : long ? VALUE_MAX : 1000, VALUE_MAX),
		placeholder: placeholder ? clip(placeholder, PLACEHOLDER_MAX) : undefined,
		field: f
	};
}

/**
 * The modals a /ticket form needs: title and description, then the template's required public
 * fields, five inputs per modal. Optional fields are left to the web thread (a reporter can add
 * details there). A required multi-select or checkbox blocks the Discord form. Our labels and
 * hints are in `o`'s language; the template's own labels stay as the project wrote them.
 */
export function planForm(template: FullTemplate | null, o: Lang): Plan {
	const required = (template?.fields ?? []).filter((f) => f.visibility === 'public' && f.required);
	const blocking = required.filter((f) => UNMAPPABLE.has(f.kind));
	if (blocking.length) return { ok: false, blocking };
	const inputs: Input[] = [
		{
			id: 'title',
			label: clip(m.discord_form_title({}, o), LABEL_MAX),
			style: 1,
			required: true,
			minLength: TITLE_MIN,
			maxLength: TITLE_MAX,
			placeholder: clip(m.discord_form_title_placeholder({}, o), PLACEHOLDER_MAX)
		},
		{
			id: 'description',
			label: clip(m.discord_form_description({}, o), LABEL_MAX),
			style: 2,
			required: true,
			maxLength: VALUE_MAX,
			placeholder: clip(m.discord_form_description_placeholder({}, o), PLACEHOLDER_MAX)
		},
		...required.map((f) => inputFor(f, o))
	];
	const steps: Input[][] = [];
	for (let i = 0; i < inputs.length; i += INPUTS_PER_MODAL)
		steps.push(inputs.slice(i, i + INPUTS_PER_MODAL));
	return { ok: true, steps };
}

/** The modal of one step, with what was answered before filled in. */
export function modal(
	customId: string,
	title: string,
	inputs: Input[],
	answers: Record<string, string>
) {
	return {
		custom_id: customId,
		title: clip(title, LABEL_MAX),
		components: inputs.map((input) => ({
			type: 1,
			components: [
				{
					type: 4,
					custom_id: input.id,
					label: input.label,
					style: input.style,
					required: input.required,
					...(input.minLength ? { min_length: input.minLength } : {}),
					max_length: input.maxLength,
					...(input.placeholder ? { placeholder: input.placeholder } : {}),
					...(answers[input.id] ? { value: answers[input.id].slice(0, input.maxLength) } : {})
				}
			]
		}))
	};
}

interface SubmittedRow {
	components?: { custom_id?: string; value?: unknown }[];
}

/** The text-input values of a modal submit, for the inputs this step asked (others ignored). */
export function readSubmit(
	inputs: Input[],
	rows: SubmittedRow[] | undefined
): Record<string, string> {
	const wanted = new Set(inputs.map((i) => i.id));
	const out: Record<string, string> = {};
	for (const row of rows ?? []) {
		for (const c of row.components ?? []) {
			if (c.custom_id && wanted.has(c.custom_id) && typeof c.value === 'string')
				out[c.custom_id] = c.value.slice(0, VALUE_MAX);
		}
	}
	return out;
}

/** A typed choice (its value or its label, any letter case) as the option's stored value. */
function choiceValue(f: FieldDef, typed: string): string {
	const t = typed.trim().toLowerCase();
	return (
		f.options.find((o) => o.value.toLowerCase() === t || o.label.toLowerCase() === t)?.value ??
		typed.trim()
	);
}

/** The template's raw public values from the answers so far, in the form the validator takes. */
export function rawValues(
	template: FullTemplate | null,
	answers: Record<string, string>
): RawValues {
	const raw: RawValues = {};
	for (const f of template?.fields ?? []) {
		if (f.visibility !== 'public') continue;
		const typed = answers[`cf_${f.key}`] ?? '';
		raw[f.key] =
			f.kind === 'multiselect' ? [] : f.kind === 'select' ? choiceValue(f, typed) : typed;
	}
	return raw;
}

/** Checks the title and description the way the web form does; messages by input id. */
export function checkBasics(answers: Record<string, string>, o: Lang): Record<string, string> {
	const errors: Record<string, string> = {};
	const title = (answers.title ?? '').trim();
	if (title.length < TITLE_MIN) errors.title = m.form_title_short({ min: TITLE_MIN }, o);
	else if (title.length > TITLE_MAX) errors.title = m.form_title_long({ max: TITLE_MAX }, o);
	else if (/[\r\n]/.test(title)) errors.title = m.discord_form_title_line({}, o);
	if (!(answers.description ?? '').trim()) errors.description = m.form_description_required({}, o);
	return errors;
}
