import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** The front matter every doc starts with, between `---` lines. */
export const frontMatterSchema = z.object({
	title: z.string().trim().min(1, 'title is required').max(200),
	summary: z.string().trim().max(500).default(''),
	topic: z.string().trim().min(1).max(80).default('General'),
	/** Position within the topic; lower comes first. */
	order: z.number().int().default(100),
	/** Only docs that say `public: true` are listed, rendered, prerendered and searched. */
	public: z.boolean().default(false)
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** A doc file whose front matter cannot be used; the message names the problem. */
export class FrontMatterError extends Error {
	override name = 'FrontMatterError';
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Splits a Markdown file into its YAML front matter (validated, with defaults) and its body.
 * Throws FrontMatterError when the front matter is missing, is not YAML, or has bad fields.
 */
export function parseFrontMatter(source: string): { data: FrontMatter; body: string } {
	const text = source.replace(/^\uFEFF/, '');
	const m = FENCE.exec(text);
	if (!m) throw new FrontMatterError('missing front matter: start the file with --- title: … ---');
	let raw: unknown;
	try {
		raw = parseYaml(m[1]) ?? {};
	} catch (err) {
		throw new FrontMatterError(
			`front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`
		);
	}
	if (typeof raw !== 'object' || Array.isArray(raw)) {
		throw new FrontMatterError('front matter must be key: value lines');
	}
	const parsed = frontMatterSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new FrontMatterError(`front matter field "${issue.path.join('.')}": ${issue.message}`);
	}
	return { data: parsed.data, body: text.slice(m[0].length) };
}
