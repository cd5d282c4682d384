/**
 * Upload bodies pass through several large buffers (the counted body, the parsed form's files).
 * V8 frees such buffers only when it collects the objects that hold them, and its heuristics go
 * by the size of the JavaScript heap, which uploads barely grow: under a stream of uploads the
 * dead buffers piled up to more than 1 GB of RSS before any full collection ran. So, when the
 * process runs with `--expose-gc` (`npm start` does), a full collection is asked for once every
 * `NUDGE_BYTES` of request bodies — for 1 MB uploads about one in 64, a few ms each.
 */
export const NUDGE_BYTES = 64 * 1024 * 1024;

type Gc = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => unknown;

let since = 0;

/** Counts `bytes` of request body read; asks V8 for a full collection every `NUDGE_BYTES`. */
export function bodyBytesRead(bytes: number, gc = (globalThis as { gc?: Gc }).gc): boolean {
	if (!gc || !(bytes > 0)) return false;
	since += bytes;
	if (since < NUDGE_BYTES) return false;
	since = 0;
	// Asynchronous: V8 runs it in steps between tasks instead of one long pause.
	void gc({ type: 'major', execution: 'async' });
	return true;
}
