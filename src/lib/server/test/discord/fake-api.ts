// A stand-in for Discord's REST API on loopback, for vitest and Playwright. It records every
// request and can be told to fail the next calls to a path. No app imports: e2e loads it as is.
import { createServer, type IncomingMessage } from 'node:http';

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
	const server = createServer(async (req, res) => {
		const text = await readBody(req);
		const path = (req.url ?? '').replace(/^\/api\/v10/, '');
		let body: Record<string, unknown> = {};
		try {
			body = text ? JSON.parse(text) : {};
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
