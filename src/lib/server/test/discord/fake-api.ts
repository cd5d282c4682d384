// A stand-in for Discord's REST API on loopback, for vitest and Playwright. It records every
// request and can be told to fail the next calls to a path. No app imports: e2e loads it as is.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';

/** A Discord user as `/users/@me` answers. */
export interface FakeDiscordUser {
	id: string;
	username: string;
	global_name: string | null;
}

export interface RecordedRequest {
	method: string;
	path: string;
	authorization: string | undefined;
	body: Record<string, unknown>;
}

export interface FakeDiscord {
	/** e.g. http://127.0.0.1:PORT/api/v10 — what DISCORD_API_BASE is set to. */
	base: string;
	requests: RecordedRequest[];
	/** The next `times` requests whose path matches answer `status` (default 500). */
	failNext(path: RegExp, times?: number, status?: number): void;
	/** Messages posted to channels: { channelId, content }. */
	messages(): { channelId: string; content: string }[];
	/**
	 * OAuth2: the user who "consents" on the next authorize requests (the fake redirects back at
	 * once), and the client secret the token endpoint accepts (default `fake-client-secret`).
	 */
	oauth: { user: FakeDiscordUser; clientSecret: string };
	close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		let data = '';
		req.setEncoding('utf8');
		req.on('data', (c) => (data += c));
		req.on('end', () => resolve(data));
		req.on('error', reject);
	});
}

/** Starts the fake on a free loopback port. */
export async function startFakeDiscord(): Promise<FakeDiscord> {
	const requests: RecordedRequest[] = [];
	const failures: { path: RegExp; times: number; status: number }[] = [];
	let seq = 100_000;
	const oauth = {
		user: { id: '123456789012345678', username: 'fakeuser', global_name: 'Fake User' },
		clientSecret: 'fake-client-secret'
	};
	// Authorization codes and access tokens handed out, by value.
	const codes = new Map<
		string,
		{ challenge: string; redirectUri: string; clientId: string; user: FakeDiscordUser }
	>();
	const tokens = new Map<string, FakeDiscordUser>();
	const server = createServer(async (req, res) => {
		const text = await readBody(req);
		const url = new URL(req.url ?? '/', 'http://fake');
		const path = url.pathname.replace(/^\/api\/v10/, '');
		let body: Record<string, unknown> = {};
		try {
			body = !text
				? {}
				: req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
					? Object.fromEntries(new URLSearchParams(text))
					: JSON.parse(text);
		} catch {
			/* recorded as {} */
		}
		requests.push({
			method: req.method ?? '',
			path,
			authorization: req.headers.authorization,
			body
		});
		const send = (status: number, value: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(value));
		};
		const failure = failures.find((f) => f.times > 0 && f.path.test(path));
		if (failure) {
			failure.times--;
			return send(failure.status, { message: 'Injected failure', code: 0 });
		}
		// OAuth2 (authorization code with PKCE), as "Sign in with Discord" uses it.
		if (req.method === 'GET' && path === '/oauth2/authorize') {
			const q = url.searchParams;
			const redirect = q.get('redirect_uri') ?? '';
			const ok =
				q.get('response_type') === 'code' &&
				q.get('scope') === 'identify' &&
				q.get('code_challenge_method') === 'S256' &&
				!!q.get('code_challenge') &&
				!!q.get('state') &&
				!!q.get('client_id') &&
				/^https?:\/\//.test(redirect);
			if (!ok) return send(400, { message: 'Invalid OAuth2 authorize request', code: 0 });
			const code = randomBytes(12).toString('hex');
			codes.set(code, {
				challenge: q.get('code_challenge')!,
				redirectUri: redirect,
				clientId: q.get('client_id')!,
				user: { ...oauth.user }
			});
			const back = new URL(redirect);
			back.searchParams.set('code', code);
			back.searchParams.set('state', q.get('state')!);
			res.writeHead(302, { location: back.toString() });
			return res.end();
		}
		if (req.method === 'POST' && path === '/oauth2/token') {
			const basic = req.headers.authorization?.startsWith('Basic ')
				? Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':')
				: [String(body.client_id ?? ''), String(body.client_secret ?? '')];
			const grant = codes.get(String(body.code ?? ''));
			codes.delete(String(body.code ?? ''));
			const verifier = String(body.code_verifier ?? '');
			const challenge = createHash('sha256').update(verifier).digest('base64url');
			if (
				body.grant_type !== 'authorization_code' ||
				!grant ||
				grant.clientId !== basic[0] ||
				basic[1] !== oauth.clientSecret ||
				grant.redirectUri !== body.redirect_uri ||
				grant.challenge !== challenge
			)
				return send(400, { error: 'invalid_grant' });
			const token = randomBytes(16).toString('hex');
			tokens.set(token, grant.user);
			return send(200, {
				access_token: token,
				token_type: 'Bearer',
				expires_in: 604800,
				scope: 'identify'
			});
		}
		if (
			req.method === 'GET' &&
			path === '/users/@me' &&
			req.headers.authorization?.startsWith('Bearer ')
		) {
			const user = tokens.get(req.headers.authorization.slice(7));
			return user ? send(200, user) : send(401, { message: '401: Unauthorized', code: 0 });
		}
		if (!req.headers.authorization?.startsWith('Bot '))
			return send(401, { message: '401: Unauthorized', code: 0 });
		const id = String(++seq) + '0000000000';
		if (req.method === 'POST' && /^\/applications\/\d+\/guilds\/\d+\/commands$/.test(path))
			return send(200, { id, ...body });
		if (req.method === 'POST' && path === '/users/@me/channels')
			return send(200, { id: `9${String(body.recipient_id)}`, type: 1 });
		if (req.method === 'POST' && /^\/channels\/\d+\/messages$/.test(path))
			return send(200, { id, content: body.content });
		return send(404, { message: 'Unknown route', code: 0 });
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as { port: number }).port;
	return {
		base: `http://127.0.0.1:${port}/api/v10`,
		requests,
		oauth,
		failNext(path, times = 1, status = 500) {
			failures.push({ path, times, status });
		},
		messages() {
			return requests
				.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path))
				.map((r) => ({ channelId: r.path.split('/')[2], content: String(r.body.content ?? '') }));
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
