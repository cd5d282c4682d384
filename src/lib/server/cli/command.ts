import type { Config } from '$lib/server/config';

/** One `npm run portal -- <command>`: answers with the process exit code. */
export interface Command {
	usage: string;
	summary: string;
	run(args: string[], config: Config): Promise<number>;
}
