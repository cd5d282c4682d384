import Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Thrown when another process owns the data folder; its message is one line for the operator. */
export class DataDirLocked extends Error {
	override name = 'DataDirLocked';
}

export interface DataLock {
	release(): void;
}

/**
 * Takes the data folder for this process, before anything in it is touched: an exclusive SQLite
 * transaction held open on `portal.lock`. SQLite locks the file with the kernel's record locks,
 * which die with the process, so a `kill -9` leaves no stale lock; the pid beside it only names
 * the holder in the refusal. Throws DataDirLocked at once when another process (or another app
 * in this one) holds the folder.
 */
export function lockDataDir(dataDir: string): DataLock {
	const file = join(dataDir, 'portal.lock');
	const pidFile = join(dataDir, 'portal.pid');
	const lock = new Database(file, { timeout: 0 });
	try {
		lock.exec('BEGIN EXCLUSIVE');
	} catch (err) {
		lock.close();
		if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
		throw new DataDirLocked(
			`The data folder ${dataDir} is in use by ${holder(pidFile)}: stop that portal first, or set another DATA_DIR.`
		);
	}
	writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
	return {
		release() {
			if (!lock.open) return;
			rmSync(pidFile, { force: true });
			lock.close();
		}
	};
}

function holder(pidFile: string): string {
	try {
		const pid = Number(readFileSync(pidFile, 'utf8').trim());
		if (Number.isSafeInteger(pid) && pid > 0) return `process ${pid}`;
	} catch {
		// The holder may be between taking the lock and writing its pid.
	}
	return 'another process';
}
