import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	// Keep `npm start`'s first build quiet: the plugin timing report is for profiling builds.
	// Import loops stay reported (and `npm run check:loops` fails on them).
	build: { rolldownOptions: { checks: { pluginTimings: false, circularDependency: true } } },
	test: {
		include: ['src/**/*.spec.ts'],
		environment: 'node',
		pool: 'forks',
		testTimeout: 20_000
	}
});
