import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWED_TYPES } from './detect';
import { contentDisposition, downloadName, sanitizeName } from './names';
import { filesFrom, stage, type Policy } from './stage';
import { download } from './serve';
import { localStorage } from './storage';

const policy: Policy = {
	limits: { maxFiles: 3, maxFileBytes: 1024 * 1024, maxBytes: 2 * 1024 * 1024 },
	allowed: new Set(DEFAULT_ALLOWED_TYPES),
	maxPixels: 50_000_000
};

function store() {
	const dir = mkdtempSync(join(tmpdir(), 'att-stage-'));
	return { dir, storage: localStorage(dir), files: () => readdirSync(dir) };
}

const png = () =>
	sharp({ create: { width: 30, height: 20, channels: 3, background: '#08f' } })
		.png()
		.toBuffer();

describe('stage', () => {
	it('refuses HTML that claims to be a PNG (name and browser type) and keeps nothing', async () => {
		const s = store();
		const html = new File(
			['<!DOCTYPE html><html><script>alert(document.cookie)</script></html>'],
			'cat.png',
			{ type: 'image/png' }
		);
		const result = await stage(s.storage, [html], policy);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.status).toBe(415);
		expect(result.message).toContain('“cat.png” is a web page (HTML)');
		expect(s.files()).toEqual([]);
	});

	it('types files by their bytes: a PNG named .txt is an image, text is text/plain', async () => {
		const s = store();
		const result = await stage(
			s.storage,
			[
				new File([new Uint8Array(await png())], 'notes.txt', { type: 'text/plain' }),
				new File(['plain words\n'], 'a.png', { type: 'image/png' })
			],
			policy
		);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.staged.map((f) => [f.name, f.mime, f.image])).toEqual([
			['notes.txt', 'image/png', true],
			['a.png', 'text/plain', false]
		]);
		// Stored under generated ids, never the user's names.
		expect(s.files().sort()).toEqual(result.staged.map((f) => f.key).sort());
		expect(s.files().some((f) => f.includes('notes') || f.includes('png'))).toBe(false);
		expect(result.staged[1].sha256).toMatch(/^[0-9a-f]{64}$/);
	});

	it('refuses too many, too large and too much together, before writing anything', async () => {
		const s = store();
		const small = () => new File(['x'], 'x.txt');
		const tooMany = await stage(s.storage, [small(), small(), small(), small()], policy);
		expect(tooMany).toMatchObject({
			ok: false,
			status: 413,
			message: 'You chose 4 files; you can attach up to 3 at once.'
		});
		const big = await stage(
			s.storage,
			[new File([new Uint8Array(1024 * 1024 + 1)], 'big.bin')],
			policy
		);
		expect(big).toMatchObject({
			ok: false,
			status: 413,
			message: '“big.bin” is 1 MB; each file can be at most 1 MB.'
		});
		const mb = new Uint8Array(900 * 1024).fill(65);
		const total = await stage(
			s.storage,
			[new File([mb], 'a.txt'), new File([mb], 'b.txt'), new File([mb], 'c.txt')],
			policy
		);
		expect(total).toMatchObject({ ok: false, status: 413 });
		expect(s.files()).toEqual([]);
	});

	it('drops the empty File a blank file input sends', () => {
		const fd = new FormData();
		fd.append('files', new File([], ''));
		fd.append('files', new File(['hi'], 'hi.txt'));
		fd.append('files', 'not a file');
		expect(filesFrom(fd).map((f) => f.name)).toEqual(['hi.txt']);
	});
});

describe('names', () => {
	it('keeps a display name without paths, controls or bidi tricks', () => {
		expect(sanitizeName('../../etc/passwd')).toBe('passwd');
		expect(sanitizeName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
		expect(sanitizeName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
		expect(sanitizeName('a\r\nb.txt')).toBe('ab.txt');
		expect(sanitizeName('...')).toBe('file');
		const long = sanitizeName('x'.repeat(400) + '.jpeg');
		expect([...long].length).toBeLessThanOrEqual(150);
		expect(long.endsWith('….jpeg')).toBe(true);
	});

	it('builds RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name', () => {
		expect(contentDisposition('attachment', 'Résumé "final".pdf')).toBe(
			`attachment; filename="R_sum_ _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`
		);
	});

	it('downloads under an extension that matches the detected type', async () => {
		const { storage } = store();
		const staged = await stage(
			storage,
			[
				new File(['<b>hello</b> as plain text'], 'x.html'),
				new File(['run me, says the name'], 'setup.exe')
			],
			policy
		);
		expect(staged.ok).toBe(true);
		if (!staged.ok) return;
		const names = [];
		for (const s of staged.staged) {
			expect(s.mime).toBe('text/plain');
			const row = { storage_key: s.key, name: s.name, mime: s.mime } as Parameters<
				typeof download
			>[1];
			const res = await download(storage, row, 'original');
			names.push(res?.headers.get('content-disposition'));
			await res?.body?.cancel();
		}
		expect(names).toEqual([
			`attachment; filename="x.txt"; filename*=UTF-8''x.txt`,
			`attachment; filename="setup.txt"; filename*=UTF-8''setup.txt`
		]);
		expect(downloadName('notes.md', 'text/plain')).toBe('notes.md');
		expect(downloadName('photo.JPEG', 'image/jpeg')).toBe('photo.JPEG');
		expect(downloadName('photo.png', 'image/jpeg')).toBe('photo.jpg');
		expect(downloadName('archive', 'application/zip')).toBe('archive.zip');
		expect(downloadName('thing.html', 'application/octet-stream')).toBe('thing.bin');
	});
});
