import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { startS3 } from './fixtures/peers';
import { uniqueEmail } from './fixtures/helpers';
import { launchServer } from './fixtures/server';

const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'
);

// The portal on an S3-compatible bucket: uploads become objects, downloads stream through the
// portal (ranges too), thumbnails are made from and stored as objects, and a restart keeps them.
test('attachments on S3 storage: upload, thumbnail, ranged download, survive a restart', async ({
	page
}) => {
	test.setTimeout(150_000);
	const s3 = await startS3('portal-e2e');
	const server = await launchServer({
		STORAGE_URL: `s3://${s3.bucket}/files?endpoint=${encodeURIComponent(s3.endpoint)}&forcePathStyle=true`,
		AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
		AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey
	});
	const client = new S3Client({
		endpoint: s3.endpoint,
		region: 'us-east-1',
		forcePathStyle: true,
		credentials: s3.credentials
	});
	const objects = async () =>
		(
			(await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'files/' })))
				.Contents ?? []
		).map((o) => o.Key!);
	try {
		const png = await sharp({
			create: { width: 400, height: 200, channels: 3, background: '#2a7' }
		})
			.png()
			.toBuffer();
		await page.goto(`${server.origin}/ticket/demo`);
		await page.getByLabel('Email').fill(uniqueEmail('s3'));
		await page.getByLabel('Title').fill(`Files on S3 ${Date.now()}`);
		await page.getByLabel('Description').fill('Both attached.');
		await page.getByLabel('Attach files').setInputFiles([
			{ name: 'green.png', mimeType: 'image/png', buffer: png },
			{ name: 'spec.pdf', mimeType: 'application/pdf', buffer: PDF }
		]);
		await page.getByRole('button', { name: 'Submit ticket' }).click();
		await expect(page).toHaveURL(/\/ticket\/thread\/[a-z2-7]{16}\.[a-z2-7]{32}$/);
		// The original, its display copy and thumbnail, and the PDF: all objects in the bucket.
		await expect.poll(async () => (await objects()).length, { timeout: 20_000 }).toBe(4);
		expect(await objects()).toEqual(
			expect.arrayContaining([expect.stringMatching(/^files\/[a-z2-7]+\.thumb\.webp$/)])
		);
		await expect(page.getByRole('img', { name: /green\.png/ })).toBeVisible();

		const href = await page.getByRole('link', { name: /spec\.pdf/ }).getAttribute('href');
		const pdfHref = new URL(href!, server.origin).href;
		const full = await page.request.get(pdfHref);
		expect(full.status()).toBe(200);
		expect(full.headers()['content-disposition']).toContain('attachment');
		expect((await full.body()).equals(PDF)).toBe(true);
		const part = await page.request.get(pdfHref, { headers: { Range: 'bytes=0-7' } });
		expect(part.status()).toBe(206);
		expect((await part.body()).toString()).toBe('%PDF-1.4');

		// A restart runs the orphan sweep: committed objects stay and still download.
		await server.restart();
		expect((await objects()).length).toBe(4);
		const again = await page.request.get(pdfHref);
		expect((await again.body()).equals(PDF)).toBe(true);
	} finally {
		await server.stop();
		await s3.close();
	}
});
