import { app } from '$lib/server/app';
import * as projects from '$lib/server/projects';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({
	// Offer the demo only where it exists (a fresh install), never a list of real projects.
	demo: (await projects.findByKey(app().db, 'demo')) !== undefined
});
