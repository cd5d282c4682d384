/**
 * Discord integration: tickets opened with /ticket over the HTTP interactions API (no gateway),
 * notifications to Discord reporters as DMs through the outbox.
 */
export { verifyInteraction } from './verify';
export {
	handle,
	syntheticEmail,
	displayNameOf,
	InteractionType,
	ResponseType,
	type Interaction,
	type InteractionContext
} from './interactions';
export { createDiscordApi, type DiscordApi } from './api';
export { registerCommands, ticketCommand } from './register';
export * as guilds from './guilds';
