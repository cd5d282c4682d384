import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from '$lib/server/test/factories';
import {
	buttonOf,
	GUILD,
	testContext,
	type Message,
	type Modal
} from '$lib/server/test/discord/interactions';
import { modalSubmit, ticketCommand } from '$lib/server/test/discord/sign';
import { testDb } from '$lib/server/test/test-db';
import * as guilds from './guilds';
import { handle, type Interaction, type InteractionContext } from './interactions';
import { createDiscordLimits } from './limits';

const { db } = testDb();
const ctx = testContext(db);

beforeAll(async () => {
	const project = await makeProject(db, { name: 'Acme Support' });
	await guilds.link(db, GUILD, project.id);
});

describe('/ticket limits', () => {
	it('limits tickets per Discord user and keeps the answers', async () => {
		const limited: InteractionContext = {
			...ctx,
			limits: createDiscordLimits({
				perUser: { points: 1, durationSec: 3600 },
				global: { points: 1000, durationSec: 3600 }
			})
		};
		const who = { id: '55555555555555555', username: 'speedy' };
		const open = async (title: string) => {
			const m = (await handle(limited, ticketCommand(GUILD, undefined, who) as Interaction))
				.response as { data: Modal };
			return (
				await handle(
					limited,
					modalSubmit(GUILD, m.data.custom_id, { title, description: 'Again' }, who) as Interaction
				)
			).response as { data: Message };
		};
		expect((await open('First one')).data.content).toContain('Your ticket “First one” is open');
		const refused = await open('Second one');
		expect(refused.data.content).toMatch(
			/too many tickets recently\. Please try again in 1 hour\./
		);
		expect(buttonOf(refused.data)?.label).toBe('Try again');
		const t = await db
			.selectFrom('tickets')
			.select(['discord_display_name'])
			.where('title', '=', 'First one')
			.executeTakeFirstOrThrow();
		expect(t.discord_display_name).toBe('speedy');
		expect(
			await db
				.selectFrom('tickets')
				.select('id')
				.where('title', '=', 'Second one')
				.executeTakeFirst()
		).toBeUndefined();
	});

	it('counts Discord tickets against the install-wide cap too', async () => {
		const capped: InteractionContext = {
			...ctx,
			limits: createDiscordLimits({
				perUser: { points: 100, durationSec: 3600 },
				global: { points: 1, durationSec: 3600 }
			})
		};
		const open = async (id: string, title: string) => {
			const who = { id, username: `u${id}` };
			const m = (await handle(capped, ticketCommand(GUILD, undefined, who) as Interaction))
				.response as { data: Modal };
			return (
				await handle(
					capped,
					modalSubmit(GUILD, m.data.custom_id, { title, description: 'Hi' }, who) as Interaction
				)
			).response as { data: Message };
		};
		expect((await open('66666666666666666', 'Cap one')).data.content).toContain('is open');
		expect((await open('77777777777777777', 'Cap two')).data.content).toContain(
			'receiving too many new tickets'
		);
	});
});
