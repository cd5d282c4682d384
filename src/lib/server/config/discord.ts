import { z } from 'zod';
import { int } from './env';

/** Discord: off while DISCORD_PUBLIC_KEY is unset. */
export const discordEnv = z.object({
	DISCORD_PUBLIC_KEY: z
		.string()
		.optional()
		.refine(
			(v) => !v || /^[0-9a-fA-F]{64}$/.test(v),
			'DISCORD_PUBLIC_KEY must be the 64 hex characters shown in the Developer Portal'
		),
	DISCORD_APPLICATION_ID: z
		.string()
		.optional()
		.refine(
			(v) => !v || /^\d{5,25}$/.test(v),
			'DISCORD_APPLICATION_ID must be the numeric application id'
		),
	DISCORD_BOT_TOKEN: z.string().optional(),
	/** OAuth2 client secret: "Sign in with Discord" on /tickets/login (with the application id). */
	DISCORD_CLIENT_SECRET: z.string().optional(),
	DISCORD_API_BASE: z
		.string()
		.optional()
		.refine(
			(v) => !v || /^https?:\/\//.test(v),
			'DISCORD_API_BASE must start with https:// or http://'
		),
	DISCORD_CREATE_LIMIT_PER_USER: int('DISCORD_CREATE_LIMIT_PER_USER', 5),
	DISCORD_CREATE_LIMIT_WINDOW_SEC: int('DISCORD_CREATE_LIMIT_WINDOW_SEC', 3600, 1),
	DISCORD_FORM_TTL_SEC: int('DISCORD_FORM_TTL_SEC', 1800, 60)
});

/** The Discord application, its API base, sign-in secret, create limit and form lifetime. */
export function discordConfig(e: z.infer<typeof discordEnv>) {
	return {
		enabled: Boolean(e.DISCORD_PUBLIC_KEY),
		applicationId: e.DISCORD_APPLICATION_ID || null,
		publicKey: e.DISCORD_PUBLIC_KEY?.toLowerCase() || null,
		botToken: e.DISCORD_BOT_TOKEN || null,
		/** "Sign in with Discord" needs the application id and this secret. */
		clientSecret: e.DISCORD_CLIENT_SECRET || null,
		apiBase: (e.DISCORD_API_BASE || 'https://discord.com/api/v10').replace(/\/+$/, ''),
		createLimit: {
			points: e.DISCORD_CREATE_LIMIT_PER_USER,
			durationSec: e.DISCORD_CREATE_LIMIT_WINDOW_SEC
		},
		formTtlSec: e.DISCORD_FORM_TTL_SEC
	};
}
