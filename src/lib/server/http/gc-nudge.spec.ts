import { describe, expect, it, vi } from 'vitest';
import { bodyBytesRead, NUDGE_BYTES } from './gc-nudge';

describe('gc nudge', () => {
	it('asks for one asynchronous full collection per NUDGE_BYTES of bodies, none without gc', () => {
		const gc = vi.fn();
		const mb = 1024 * 1024;
		let asked = 0;
		for (let i = 0; i < (3 * NUDGE_BYTES) / mb; i++) if (bodyBytesRead(mb, gc)) asked++;
		expect(asked).toBe(3);
		expect(gc).toHaveBeenCalledTimes(3);
		expect(gc).toHaveBeenCalledWith({ type: 'major', execution: 'async' });
		// Without --expose-gc, or for a body of unknown size, nothing happens.
		expect(bodyBytesRead(NUDGE_BYTES * 2, undefined)).toBe(false);
		expect(bodyBytesRead(NaN, gc)).toBe(false);
		expect(gc).toHaveBeenCalledTimes(3);
	});
});
