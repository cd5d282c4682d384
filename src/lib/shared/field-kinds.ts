/** The kinds of template field. Plain data, so the template editor can list them without zod. */
export const fieldKinds = [
	'text',
	'textarea',
	'number',
	'email',
	'url',
	'date',
	'select',
	'multiselect',
	'checkbox'
] as const;

export type FieldKind = (typeof fieldKinds)[number];
