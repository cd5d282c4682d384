import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '$lib/server/test/discord/fake-api';
import { beginDiscordSignIn, finishDiscordSignIn } from './discord';

const ORIGIN = 'https://help.example.com';
let fake: FakeDiscord;
let config: { applicationId: string; clientSecret: string; apiBase: string };
beforeAll(async () => {
	fake = await startFakeDiscord();
	config = {
		applicationId: '111111111111111111',
		clientSecret: fake.oauth.clientSecret,
		apiBase: fake.base
	};
});
afterAll(() => fake.close());

/** Follows the authorize URL the way a browser would, up to the redirect back to the portal. */
async function authorize(url: string) {
	const res = await fetch(url, { redirect: 'manual' });
	expect(res.status).toBe(302);
	const back = new URL(res.headers.get('location')!);
	expect(back.origin + back.pathname).toBe(`${ORIGIN}/tickets/login/discord/callback`);
	return { code: back.searchParams.get('code'), state: back.searchParams.get('state') };
}

describe('Sign in with Discord', () => {
	it('runs the authorization-code flow with PKCE (S256) and scope identify', async () => {
		fake.oauth.user = { id: '223344556677889900', username: 'rita', global_name: 'Rita' };
		const start = beginDiscordSignIn(config, ORIGIN);
		const q = new URL(start.url).searchParams;
		expect(q.get('scope')).toBe('identify');
		expect(q.get('code_challenge_method')).toBe('S256');
		expect(start.cookie).toContain(q.get('state')!);
		// The verifier never leaves the server except in the token request.
		expect(start.url).not.toContain(start.cookie.split('.')[1]);
		const back = await authorize(start.url);
		const user = await finishDiscordSignIn(config, ORIGIN, { ...back, cookie: start.cookie });
		expect(user).toEqual({ id: '223344556677889900', name: 'Rita' });
		const token = fake.requests.find((r) => r.path === '/oauth2/token');
		expect(token?.body.code_verifier).toBe(start.cookie.split('.')[1]);
	});

	it('refuses a callback whose state or verifier is not this browser’s', async () => {
		const mine = beginDiscordSignIn(config, ORIGIN);
		const theirs = beginDiscordSignIn(config, ORIGIN);
		const back = await authorize(theirs.url);
		// Someone else's code and state, with my cookie (login CSRF): refused before any exchange.
		expect(await finishDiscordSignIn(config, ORIGIN, { ...back, cookie: mine.cookie })).toBeNull();
		expect(await finishDiscordSignIn(config, ORIGIN, { ...back, cookie: undefined })).toBeNull();
		// Right state but a wrong verifier: Discord refuses the code.
		const [state] = theirs.cookie.split('.');
		expect(
			await finishDiscordSignIn(config, ORIGIN, { ...back, cookie: `${state}.wrongverifier` })
		).toBeNull();
		expect(
			await finishDiscordSignIn({ ...config, clientSecret: 'nope' }, ORIGIN, {
				...(await authorize(mine.url)),
				cookie: mine.cookie
			})
		).toBeNull();
	});
});
