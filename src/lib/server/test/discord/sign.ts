// Signs interaction requests as Discord does, for tests. No app imports: e2e loads it as is.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface TestKeys {
	privateKey: KeyObject;
	/** The 64 hex characters DISCORD_PUBLIC_KEY takes. */
	publicKeyHex: string;
}

/** A fresh Ed25519 key pair, the public half as Discord shows it (raw 32 bytes in hex). */
export function testKeys(): TestKeys {
	const { privateKey, publicKey } = generateKeyPairSync('ed25519');
	const spki = publicKey.export({ format: 'der', type: 'spki' });
	return { privateKey, publicKeyHex: spki.subarray(spki.length - 32).toString('hex') };
}

/** The signature headers of a request body, at `timestamp` (Unix seconds, default now). */
export function signedHeaders(
	privateKey: KeyObject,
	body: string,
	timestamp = Math.floor(Date.now() / 1000)
): Record<string, string> {
	const ts = String(timestamp);
	return {
		'content-type': 'application/json',
		'x-signature-ed25519': sign(null, Buffer.from(ts + body), privateKey).toString('hex'),
		'x-signature-timestamp': ts
	};
}

type User = { id: string; username?: string; global_name?: string | null };
const user: User = { id: '80351110224678912', username: 'ferris', global_name: 'Ferris the Crab' };

/** A /ticket command interaction from a guild member. */
export function ticketCommand(guildId: string, type?: string, who = user) {
	return {
		id: '1',
		type: 2,
		token: 'interaction-token',
		guild_id: guildId,
		member: { user: who },
		data: { name: 'ticket', type: 1, options: type ? [{ name: 'type', type: 3, value: type }] : [] }
	};
}

/** A modal submit with the given text-input values. */
export function modalSubmit(
	guildId: string,
	customId: string,
	values: Record<string, string>,
	who = user
) {
	return {
		id: '2',
		type: 5,
		token: 'interaction-token',
		guild_id: guildId,
		member: { user: who },
		data: {
			custom_id: customId,
			components: Object.entries(values).map(([id, value]) => ({
				type: 1,
				components: [{ type: 4, custom_id: id, value }]
			}))
		}
	};
}

/** A click on a message button. */
export function buttonClick(guildId: string, customId: string, who = user) {
	return {
		id: '3',
		type: 3,
		token: 'interaction-token',
		guild_id: guildId,
		member: { user: who },
		data: { custom_id: customId, component_type: 2 }
	};
}

export const testUser = user;
