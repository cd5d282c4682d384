// The Discord interaction specs' context, guild and response shapes. Only specs import this.
import type { Db } from '$lib/server/db';
import {
	handle,
	type Interaction,
	type InteractionContext
} from '$lib/server/discord/interactions';
import { createDiscordLimits } from '$lib/server/discord/limits';
import { TEST_SECRET } from '$lib/server/test/test-db';

export const ORIGIN = 'https://help.example.com';
export const GUILD = '1111111111111111111';

/** The interaction context on `db`: limits high enough not to matter, a 30-minute form. */
export function testContext(db: Db): InteractionContext {
	return {
		db,
		secret: TEST_SECRET,
		origin: ORIGIN,
		limits: createDiscordLimits({
			perUser: { points: 100, durationSec: 3600 },
			global: { points: 1000, durationSec: 3600 }
		}),
		formTtlMs: 30 * 60_000
	};
}

export type Modal = {
	custom_id: string;
	title: string;
	components: {
		components: { custom_id: string; label: string; value?: string; placeholder?: string }[];
	}[];
};
export type Message = {
	content: string;
	flags: number;
	components?: { components: { custom_id: string; label: string }[] }[];
};

/** Handles `i` in `ctx` and returns the response, typed loosely for assertions. */
export async function send(ctx: InteractionContext, i: unknown) {
	return (await handle(ctx, i as Interaction)).response as { type: number; data: Modal & Message };
}
export const inputsOf = (m: Modal) => m.components.map((r) => r.components[0].custom_id);
export const buttonOf = (m: Message) => m.components?.[0].components[0];
