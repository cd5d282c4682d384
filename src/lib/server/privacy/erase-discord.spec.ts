import { describe, expect, it } from 'vitest';
import { dialectOf } from '$lib/server/db/dialect';
import { makeProject, makeTicket } from '$lib/server/test/factories';
import { scan, testPrivacy } from '$lib/server/test/privacy';
import { testDb } from '$lib/server/test/test-db';
import { randomToken } from '$lib/server/tokens';

const { db } = testDb();
const { ended, privacy } = testPrivacy(db);
const project = await makeProject(db, { name: 'Rockets' });

describe(`erasure of a Discord user (${dialectOf(db)})`, () => {
	it('goes by their synthetic address and leaves neither their id nor their name', async () => {
		const id = '918273645546372819';
		const address = `${id}@users.discord.invalid`;
		await makeTicket(db, {
			projectId: project.id,
			source: 'discord',
			reporterEmail: address,
			reporterName: null,
			discordUserId: id,
			discordDisplayName: 'Dora Discordia'
		});
		await db
			.insertInto('discord_sessions')
			.values({
				public_id: randomToken(10),
				discord_user_id: id,
				guild_id: '1234567',
				project_id: project.id,
				ticket_type_id: null,
				answers: JSON.stringify({ title: 'half typed' }),
				expires_at: Date.now() + 60_000,
				created_at: Date.now()
			})
			.execute();
		expect((await scan(db, [id, 'Dora Discordia'])).length).toBeGreaterThan(2);
		const summary = await privacy.eraseData(address, { kind: 'system', id: null });
		expect(summary).toMatchObject({ tickets: 1, recipients: 1 });
		expect(ended.at(-1)).toBe(address);
		expect(await scan(db, [id, 'Dora Discordia'])).toEqual([]);
	});
});
