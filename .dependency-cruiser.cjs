// Import loops make module start-up order fragile (a value read before its module ran is
// undefined) and tangle domains; `npm run check:loops` fails on any, type-only imports included.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: 'no-circular',
			severity: 'error',
			comment: 'Import loop: move what both modules need into a third module.',
			from: {},
			to: { circular: true }
		}
	],
	options: {
		doNotFollow: { path: ['node_modules'] },
		exclude: { path: ['^\\.svelte-kit/', '^build/'] },
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		// Kit's generated tsconfig maps `$lib` relative to itself, which the tsconfig paths plugin
		// misreads without a baseUrl; resolve the alias the way Vite does instead.
		webpackConfig: { fileName: 'scripts/loops-resolve.cjs' },
		enhancedResolveOptions: {
			extensions: ['.ts', '.js', '.svelte', '.json'],
			conditionNames: ['import', 'require', 'node', 'default', 'svelte']
		}
	}
};
