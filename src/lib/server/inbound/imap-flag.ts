/** A level that stays up once raised, and waits that it ends. */
export class Flag {
	up = false;
	private listeners = new Set<() => void>();
	raise = () => {
		this.up = true;
		for (const listener of [...this.listeners]) listener();
	};
	/** Calls `fn` once the flag is up (now, if it is); returns the way to stop listening. */
	listen(fn: () => void): () => void {
		if (this.up) {
			fn();
			return () => {};
		}
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}
	/** Resolves when one of `flags` is up, or after `ms`. */
	static any(flags: Flag[], ms: number): Promise<void> {
		return new Promise((resolve) => {
			const offs: (() => void)[] = [];
			const done = () => {
				clearTimeout(timer);
				for (const off of offs) off();
				resolve();
			};
			const timer = setTimeout(done, ms);
			for (const f of flags) offs.push(f.listen(done));
		});
	}
}
