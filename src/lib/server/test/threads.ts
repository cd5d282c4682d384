import type { Db } from '$lib/server/db';
import * as threads from '$lib/server/threads';
import { splitToken } from '$lib/server/tokens';
import { TEST_SECRET } from './test-db';

/** Whose thread link a spec opens: a recipient's public id and link version. */
export type LinkHolder = { public_id: string; token_version: number };

/** The thread link of a recipient, as mail carries it. */
export const threadToken = (r: LinkHolder) =>
	splitToken(TEST_SECRET, 'thread', r.public_id, r.token_version);

/** The thread a recipient's link opens (undefined when it does not). */
export const openThread = (db: Db, r: LinkHolder) =>
	threads.findByToken(db, TEST_SECRET, threadToken(r));
