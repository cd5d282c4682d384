// `npm run check:loops`: import loops (type-only imports included) and module borders. Loops make
// start-up order fragile (a value read before its module ran is undefined) and tangle domains.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: 'no-circular',
			severity: 'error',
			comment: 'Import loop: move what both modules need into a third module.',
			from: {},
			to: { circular: true }
		},
		{
			name: 'server-not-from-ui',
			severity: 'error',
			comment: 'Server code shares pure modules through src/lib/shared, not UI folders.',
			from: { path: '^src/lib/server/', pathNot: '\\.spec\\.ts$' },
			to: { path: '^src/(lib/components|routes)/' }
		},
		{
			name: 'shared-is-pure',
			severity: 'error',
			comment: 'src/lib/shared runs in the browser too: no server code, no UI.',
			from: { path: '^src/lib/shared/' },
			to: { path: '^src/(lib/server|lib/components|routes)/' }
		},
		{
			name: 'test-helpers-only-in-tests',
			severity: 'error',
			comment: 'Test helpers must stay out of the production build.',
			from: { path: '^src/', pathNot: ['\\.spec\\.ts$', '^src/lib/server/test/'] },
			to: { path: '^src/lib/server/test/' }
		}
	],
	options: {
		doNotFollow: { path: ['node_modules'] },
		exclude: { path: ['^\\.svelte-kit/', '^build/', '^src/lib/paraglide/'] },
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
