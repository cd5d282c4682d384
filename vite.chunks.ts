// Keeping the JavaScript that public pages load to what they use (e2e/budget.test.ts,
// bench/HISTORY.md "The 38 KB budget and chunking"). Rolldown splits code by module: a module
// that staff pages and public pages both import lands, with every function anyone uses from it,
// in a chunk that public pages load. Both plugins act on the browser build only; the server
// build is untouched.
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

type Ctx = { environment?: { config: { consumer: string } } };
const inBrowser = (ctx: Ctx, ssr?: boolean) =>
	ctx.environment ? ctx.environment.config.consumer === 'client' : !ssr;

const COPY = '?staff-copy';
/** Code only staff pages import: the dashboard, first-run setup and the superforms client. */
const staffOnly =
	/[\\/](node_modules[\\/]sveltekit-superforms|src[\\/]routes[\\/](\(staff\)|setup))[\\/]/;
/** Stateless libraries whose staff-only functions (devalue's stringify, derived stores) stay out. */
const copyable = new Set(['devalue', 'svelte/store']);
const insideCopyable = /[\\/]node_modules[\\/](devalue[\\/]|svelte[\\/]src[\\/]store[\\/])/;

/**
 * Staff-only code gets its own instance of `devalue` and `svelte/store`. Kit's client (every
 * page) needs only devalue's parse and svelte/store's writable; without this, superforms'
 * stringify and the derived/readonly stores share their modules and ride along (~1.5 KB gzip).
 * Neither library keeps state at module level, so two copies behave as one; staff pages load a
 * little more.
 */
export function staffCopies(): Plugin {
	return {
		name: 'portal-staff-copies',
		enforce: 'pre',
		async resolveId(source, importer, options) {
			if (!importer || !inBrowser(this, options?.ssr)) return null;
			const fromCopy = importer.endsWith(COPY);
			if (!fromCopy && !(staffOnly.test(importer) && copyable.has(source))) return null;
			const real = importer.slice(0, fromCopy ? -COPY.length : undefined);
			const r = await this.resolve(source, real, { ...options, skipSelf: true });
			// Inside a copy, only the library's own files are copied (Svelte's runtime stays one).
			if (!r || r.external || !insideCopyable.test(r.id)) return null;
			return r.id + COPY;
		},
		load(id) {
			if (id.endsWith(COPY)) return readFileSync(id.slice(0, -COPY.length), 'utf8');
		}
	};
}

const KIT_CLIENT = /[\\/]@sveltejs[\\/]kit[\\/]src[\\/]runtime[\\/]client[\\/]client\.js$/;
const KIT_SVELTE = '\0portal-kit-svelte';

type Node = { type: string; [key: string]: unknown };
const isNode = (v: unknown): v is Node => !!v && typeof v === 'object' && 'type' in v;

/** The names Kit's client reads from its `svelte` namespace; throws on any other use of it. */
function namesRead(program: Node): string[] {
	const names = new Set<string>();
	const visit = (node: Node, parent: Node | null, key: string) => {
		if (node.type === 'Identifier' && node.name === 'svelte') {
			const p = parent as Node;
			if (p.type === 'ImportNamespaceSpecifier') return;
			if (p.type === 'MemberExpression' && key === 'object' && !p.computed) {
				names.add((p.property as { name: string }).name);
				return;
			}
			const id = p.id as Node | undefined;
			if (p.type === 'VariableDeclarator' && key === 'init' && id?.type === 'ObjectPattern') {
				for (const prop of id.properties as Node[]) {
					const k = prop.key as Node | undefined;
					if (prop.type !== 'Property' || prop.computed || k?.type !== 'Identifier')
						throw new Error('portal-kit-svelte: unexpected destructuring of svelte');
					names.add(k.name as string);
				}
				return;
			}
			throw new Error(
				`portal-kit-svelte: Kit's client uses 'svelte' as ${p.type}; update vite.chunks.ts`
			);
		}
		for (const [k, v] of Object.entries(node)) {
			if (Array.isArray(v)) for (const c of v) if (isNode(c)) visit(c, node, k);
			if (isNode(v)) visit(v, node, k);
		}
	};
	visit(program, null, '');
	return [...names].sort();
}

/**
 * Kit's client does `import * as svelte from 'svelte'` and destructures it, so Rolldown builds
 * Svelte's whole namespace object (createRawSnippet, createEventDispatcher, hydratable, …) into
 * every page (~0.7 KB gzip). Kit gets a module exporting just the names it reads, found in its
 * source at build time (the build fails if it starts using the namespace another way).
 */
export function kitSvelteNames(): Plugin {
	let kitClient = '';
	return {
		name: 'portal-kit-svelte',
		enforce: 'pre',
		resolveId(source, importer, options) {
			if (source !== 'svelte' || !importer || !KIT_CLIENT.test(importer)) return null;
			if (!inBrowser(this, options?.ssr)) return null;
			kitClient = importer;
			return KIT_SVELTE;
		},
		load(id) {
			if (id !== KIT_SVELTE) return null;
			const names = namesRead(this.parse(readFileSync(kitClient, 'utf8')) as unknown as Node);
			return `export { ${names.join(', ')} } from 'svelte';`;
		}
	};
}
