import { expect, test } from '@playwright/test';
import { startS3 } from './fixtures/peers';
import { launchServer } from './fixtures/server';

// An instance on S3-compatible storage, as behind a load balancer: health follows the bucket,
// readiness turns off as soon as SIGTERM starts the drain while requests are still answered.
test('healthz follows the storage; readyz turns 503 while draining after SIGTERM', async () => {
	test.setTimeout(90_000);
	const s3 = await startS3('portal-health');
	const server = await launchServer({
		STORAGE_URL: `s3://${s3.bucket}/e2e?endpoint=${encodeURIComponent(s3.endpoint)}&forcePathStyle=true`,
		AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
		AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
		SHUTDOWN_DRAIN_MS: '4000'
	});
	let s3Up = true;
	try {
		const health = await fetch(`${server.origin}/healthz`);
		expect(health.status).toBe(200);
		expect(await health.json()).toEqual({ status: 'ok', database: 'ok', storage: 'ok' });
		expect((await fetch(`${server.origin}/readyz`)).status).toBe(200);

		await s3.close();
		s3Up = false;
		const down = await fetch(`${server.origin}/healthz`);
		expect(down.status).toBe(503);
		expect(await down.json()).toEqual({
			status: 'unavailable',
			database: 'ok',
			storage: 'unavailable'
		});

		server.signal('SIGTERM');
		await expect
			.poll(async () => (await fetch(`${server.origin}/readyz`)).status, { timeout: 3000 })
			.toBe(503);
		// Still serving while draining: the load balancer moves traffic away first.
		expect((await fetch(`${server.origin}/ticket/demo`)).status).toBe(200);
	} finally {
		await server.stop();
		if (s3Up) await s3.close();
	}
});
