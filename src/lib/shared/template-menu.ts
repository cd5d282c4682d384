/**
 * The public-safe template metadata the create page receives, and the rule that picks the active
 * template. Shared by server and browser: nothing here may hold a hidden or read-only field, a
 * default value or an internal id.
 */

import type { FieldKind } from './field-kinds';

/** A public custom field: what the browser needs to render and pre-check it. */
export interface PublicField {
	key: string;
	label: string;
	help: string;
	kind: FieldKind;
	required: boolean;
	options: { value: string; label: string }[];
	min: number | null;
	max: number | null;
	pattern: string | null;
}

export interface PublicTemplate {
	/** Random-looking public key (an HMAC of the internal id). */
	key: string;
	name: string;
	description: string;
	fields: PublicField[];
}

/** Every template the page may switch to without asking the server. */
export interface TemplateMenu {
	templates: Record<string, PublicTemplate>;
	/** Ticket type key → template key bound to that type. */
	byType: Record<string, string>;
	/** The project's enforced template, if any. */
	enforced: string | null;
	/** Templates the reporter may pick when nothing is enforced. */
	choices: string[];
}

/**
 * - `type`: bound to the selected ticket type (locked selector)
 * - `project`: enforced by the project (locked selector)
 * - `choice`: the reporter may pick one of `choices` (or none)
 * - `none`: no template available (selector hidden, no fields)
 */
export type TemplateMode = 'type' | 'project' | 'choice' | 'none';

/** Which template applies: type binding > project enforced > reporter's choice > none. */
export function pick(menu: TemplateMenu, typeKey: string, chosenKey: string | null | undefined) {
	const bound = menu.byType[typeKey];
	if (bound && menu.templates[bound])
		return { mode: 'type' as TemplateMode, template: menu.templates[bound], choices: [] };
	if (menu.enforced && menu.templates[menu.enforced]) {
		return {
			mode: 'project' as TemplateMode,
			template: menu.templates[menu.enforced],
			choices: []
		};
	}
	const choices = menu.choices.map((k) => menu.templates[k]).filter(Boolean);
	if (choices.length) {
		const template = choices.find((t) => t.key === chosenKey) ?? null;
		return { mode: 'choice' as TemplateMode, template, choices };
	}
	return { mode: 'none' as TemplateMode, template: null, choices: [] };
}

/** The form input name of a custom field. */
export const inputName = (key: string) => `cf_${key}`;
/** The element id of a custom field (the first checkbox of a multi-select). */
export const inputId = (key: string) => `cf-${key}`;

/** What was typed into custom fields: text, or the ticked options of a multi-select. */
export type RawValues = Record<string, string | string[]>;
