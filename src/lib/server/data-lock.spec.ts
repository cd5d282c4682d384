import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLocked, lockDataDir } from './data-lock';

const dir = mkdtempSync(join(tmpdir(), 'portal-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lockDataDir', () => {
	it('lets one holder own the folder, names it to the next, and frees it on release', () => {
		const held = lockDataDir(dir);
		expect(readFileSync(join(dir, 'portal.pid'), 'utf8').trim()).toBe(String(process.pid));
		let refusal: unknown;
		try {
			lockDataDir(dir);
		} catch (err) {
			refusal = err;
		}
		expect(refusal).toBeInstanceOf(DataDirLocked);
		expect((refusal as Error).message).toBe(
			`The data folder ${dir} is in use by process ${process.pid}: stop that portal first, or set another DATA_DIR.`
		);
		held.release();
		expect(existsSync(join(dir, 'portal.pid'))).toBe(false);
		lockDataDir(dir).release();
	});
});
