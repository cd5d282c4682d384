import * as docs from '$lib/server/docs';
import { docsDir } from '$lib/server/docs/runtime';
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

// Images from DOCS_DIR/{project}/assets/, served as-is (they come from the self-hoster's repo).
export const prerender = false;

export const GET: RequestHandler = ({ params }) => {
	const asset = docs.readAsset(docsDir(), params.projectId, params.file);
	if (!asset) error(404, 'Not found');
	return new Response(new Uint8Array(asset.body), {
		headers: {
			'Content-Type': asset.type,
			'Content-Length': String(asset.body.length),
			'Cache-Control': 'public, max-age=3600',
			'X-Content-Type-Options': 'nosniff',
			// An SVG opened directly cannot run script or load anything.
			'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox"
		}
	});
};
