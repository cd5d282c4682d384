/** A refused or failed Discord REST call; `status` is the HTTP status (0 = no answer). */
export class DiscordApiError extends Error {
	override name = 'DiscordApiError';
	constructor(
		message: string,
		readonly status: number
	) {
		super(message);
	}
}

export interface DiscordApiOptions {
	/** e.g. https://discord.com/api/v10 (tests: the local fake). */
	base: string;
	botToken: string;
	/** Per request (ms). */
	timeoutMs?: number;
}

/** A slash command as Discord's "create guild application command" takes it. */
export interface CommandDefinition {
	name: string;
	description: string;
	type: 1;
	options?: {
		type: 3;
		name: string;
		description: string;
		required: boolean;
		choices?: { name: string; value: string }[];
	}[];
}

/**
 * The few Discord REST calls the portal makes, authorised as the bot. Any non-2xx answer throws
 * DiscordApiError (the outbox retries DMs that fail).
 */
export function createDiscordApi(o: DiscordApiOptions) {
	async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
		let res: Response;
		try {
			res = await fetch(`${o.base}${path}`, {
				method,
				headers: {
					authorization: `Bot ${o.botToken}`,
					'content-type': 'application/json',
					'user-agent': 'DiscordBot (https://github.com/ticket-portal, 0.1) TicketPortal'
				},
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: AbortSignal.timeout(o.timeoutMs ?? 10_000)
			});
		} catch (err) {
			throw new DiscordApiError(
				`Discord ${method} ${path}: ${err instanceof Error ? err.message : String(err)}`,
				0
			);
		}
		const text = await res.text();
		if (!res.ok) {
			throw new DiscordApiError(
				`Discord ${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`,
				res.status
			);
		}
		return (text ? JSON.parse(text) : {}) as T;
	}

	return {
		/** Creates or overwrites (by name) a command in one guild. */
		upsertGuildCommand(applicationId: string, guildId: string, command: CommandDefinition) {
			return call<{ id: string }>(
				'POST',
				`/applications/${applicationId}/guilds/${guildId}/commands`,
				command
			);
		},
		/** Opens (or finds) the DM channel with a user. */
		openDm(userId: string) {
			return call<{ id: string }>('POST', '/users/@me/channels', { recipient_id: userId });
		},
		/** Posts a message; links are not embedded as previews. */
		sendMessage(channelId: string, content: string) {
			return call<{ id: string }>('POST', `/channels/${channelId}/messages`, {
				content,
				flags: 4, // SUPPRESS_EMBEDS: the thread link must not be fetched for a preview
				allowed_mentions: { parse: [] }
			});
		}
	};
}

export type DiscordApi = ReturnType<typeof createDiscordApi>;
