import type { FieldKind, FieldVisibility } from '$lib/server/db/schema';

/** A template field as the server knows it: every visibility, the default decoded. */
export interface FieldDef {
	key: string;
	label: string;
	help: string;
	kind: FieldKind;
	required: boolean;
	visibility: FieldVisibility;
	/** Decoded JSON default (string, number, boolean or string[]), null = none. */
	defaultValue: unknown;
	options: { value: string; label: string }[];
	min: number | null;
	max: number | null;
	pattern: string | null;
}

export interface FullTemplate {
	id: number;
	/** Public key: an HMAC of the id, so the internal id never reaches the browser. */
	key: string;
	name: string;
	description: string;
	fields: FieldDef[];
}
