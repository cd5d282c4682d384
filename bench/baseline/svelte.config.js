// The benchmark's reference: the portal's SvelteKit version with nothing in it. Built by
// `npm run bench` into a temp folder (BENCH_BASELINE_OUT), never part of the portal's build.
import adapter from '@sveltejs/adapter-node';

const out = process.env.BENCH_BASELINE_OUT ?? 'build';

export default {
	kit: {
		adapter: adapter({ out: `${out}/build`, precompress: false }),
		outDir: '.svelte-kit'
	}
};
