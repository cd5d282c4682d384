import { m } from '$lib/paraglide/messages.js';
import { z } from 'zod';
import { inputName, type RawValues } from '$lib/shared/template-menu';
import type { FieldDef, FullTemplate } from './types';

/** Longest text a custom field takes when the template sets no maximum. */
const MAX_TEXT = 1000;
const MAX_TEXTAREA = 20_000;

export type FieldResult =
	| {
			ok: true;
			/** Public values plus hidden/read-only defaults, by field key. */ values: Record<
				string,
				unknown
			>;
	  }
	| { ok: false; errors: Record<string, string[]> };

const isPublic = (f: FieldDef) => f.visibility === 'public';

/**
 * What the reporter typed into the template's public fields, as posted (`cf_<key>` inputs).
 * Values posted for hidden or read-only fields, or for fields the template lacks, are not read.
 */
export function publicRaw(template: FullTemplate | null, form: FormData): RawValues {
	const raw: RawValues = {};
	for (const f of template?.fields.filter(isPublic) ?? []) {
		const strings = form.getAll(inputName(f.key)).filter((v): v is string => typeof v === 'string');
		raw[f.key] = f.kind === 'multiselect' ? strings : (strings[0] ?? '');
	}
	return raw;
}

function regex(pattern: string): RegExp | null {
	try {
		// As the browser reads the `pattern` attribute: the whole value must match.
		return new RegExp(`^(?:${pattern})$`, 'v');
	} catch {
		return null;
	}
}

/** The zod schema of one public field: raw input → stored value (undefined = left empty). */
function fieldSchema(f: FieldDef): z.ZodType<unknown> {
	const name = f.label; // the messages quote it as their language does
	const fail = (ctx: z.RefinementCtx, message: string) => {
		ctx.addIssue({ code: 'custom', message });
		return z.NEVER;
	};
	const text = (check?: (v: string, ctx: z.RefinementCtx) => unknown) =>
		z.string().transform((input, ctx) => {
			const v = input.trim();
			if (!v) return f.required ? fail(ctx, m.form_field_required({ name })) : undefined;
			return check ? check(v, ctx) : v;
		});
	switch (f.kind) {
		case 'text':
		case 'textarea':
			return text((v, ctx) => {
				const max = f.max ?? (f.kind === 'text' ? MAX_TEXT : MAX_TEXTAREA);
				if (f.min !== null && v.length < f.min)
					return fail(ctx, m.form_field_min_chars({ name, min: f.min }));
				if (v.length > max) return fail(ctx, m.form_field_max_chars({ name, max }));
				if (f.kind === 'text' && /[\r\n]/.test(v))
					return fail(ctx, m.form_field_one_line({ name }));
				const re = f.pattern ? regex(f.pattern) : null;
				if (re && !re.test(v))
					return fail(ctx, `${m.form_field_format({ name })}${f.help ? ` ${f.help}` : ''}`);
				return v;
			});
		case 'number':
			return text((v, ctx) => {
				const n = Number(v);
				if (!Number.isFinite(n)) return fail(ctx, m.form_field_number({ name }));
				if (f.min !== null && n < f.min)
					return fail(ctx, m.form_field_number_min({ name, min: f.min }));
				if (f.max !== null && n > f.max)
					return fail(ctx, m.form_field_number_max({ name, max: f.max }));
				return n;
			});
		case 'email':
			return text((v, ctx) =>
				v.length <= 254 && z.email().safeParse(v).success
					? v
					: fail(ctx, m.form_field_email({ name }))
			);
		case 'url':
			return text((v, ctx) => {
				const ok = v.length <= 2000 && URL.canParse(v) && /^https?:$/.test(new URL(v).protocol);
				return ok ? v : fail(ctx, m.form_field_url({ name }));
			});
		case 'date':
			return text((v, ctx) => {
				const ok =
					/^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
				return ok ? v : fail(ctx, m.form_field_date({ name }));
			});
		case 'select':
			return text((v, ctx) =>
				f.options.some((o) => o.value === v) ? v : fail(ctx, m.form_field_select({ name }))
			);
		case 'multiselect':
			return z.array(z.string()).transform((input, ctx) => {
				const picked = [...new Set(input)];
				if (picked.some((v) => !f.options.some((o) => o.value === v)))
					return fail(ctx, m.form_field_multi_unknown({ name }));
				if (f.required && !picked.length) return fail(ctx, m.form_field_multi_required({ name }));
				if (f.min !== null && picked.length && picked.length < f.min)
					return fail(ctx, m.form_field_multi_min({ name, min: f.min }));
				if (f.max !== null && picked.length > f.max)
					return fail(ctx, m.form_field_multi_max({ name, max: f.max }));
				return picked.length
					? f.options.filter((o) => picked.includes(o.value)).map((o) => o.value)
					: undefined;
			});
		case 'checkbox':
			return z.string().transform((v, ctx) => {
				const checked = v !== '' && v !== 'false' && v !== '0';
				return f.required && !checked ? fail(ctx, m.form_field_checkbox({ name })) : checked;
			});
	}
}

/** The submit-time zod schema of a template's public fields, keyed by field key. */
export function schemaOf(template: FullTemplate) {
	return z.object(
		Object.fromEntries(template.fields.filter(isPublic).map((f) => [f.key, fieldSchema(f)]))
	);
}

/**
 * Validates the public custom fields of a submission against a schema built from the template
 * now, then adds the defaults of hidden and read-only fields. Whatever the browser sent for a
 * hidden or read-only field is ignored.
 */
export function readFields(template: FullTemplate | null, raw: RawValues): FieldResult {
	if (!template) return { ok: true, values: {} };
	const parsed = schemaOf(template).safeParse(raw);
	if (!parsed.success) {
		const errors: Record<string, string[]> = {};
		for (const issue of parsed.error.issues)
			(errors[String(issue.path[0])] ??= []).push(issue.message);
		return { ok: false, errors };
	}
	const values: Record<string, unknown> = {};
	for (const f of template.fields) {
		const value = isPublic(f) ? parsed.data[f.key] : f.defaultValue;
		if (value !== undefined && value !== null) values[f.key] = value;
	}
	return { ok: true, values };
}

/** The field definitions the values were validated against, stored with the ticket. */
export function snapshot(template: FullTemplate | null): unknown[] {
	return (template?.fields ?? []).map((f) => ({
		key: f.key,
		label: f.label,
		kind: f.kind,
		visibility: f.visibility,
		required: f.required,
		options: f.options,
		min: f.min,
		max: f.max,
		pattern: f.pattern,
		default: f.defaultValue
	}));
}
