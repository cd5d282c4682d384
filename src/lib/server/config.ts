import { z } from 'zod';
import { discordConfig, discordEnv } from './config/discord';
import { ConfigError } from './config/env';
import { inboundConfig, inboundEnv } from './config/inbound';
import {
	accessLimitsConfig,
	accessLimitsEnv,
	createLimitsConfig,
	createLimitsEnv
} from './config/limits';
import { mailConfig, mailEnv } from './config/mail';
import { serverConfig, serverEnv } from './config/server';
import { docsConfig, docsEnv, uploadsConfig, uploadsEnv } from './config/uploads';

export { ConfigError } from './config/env';
export { parseStorageUrl, type StorageConfig } from './config/storage';

// Grouped and ordered as in the README's Configuration section (the first bad value is reported).
const env = z.object({
	...serverEnv.shape,
	...mailEnv.shape,
	...createLimitsEnv.shape,
	...uploadsEnv.shape,
	...docsEnv.shape,
	...accessLimitsEnv.shape,
	...discordEnv.shape,
	...inboundEnv.shape
});

export type Config = ReturnType<typeof loadConfig>;

/**
 * Resolves the configuration from environment variables, applying documented defaults.
 * Throws ConfigError with a one-line reason for a bad value.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env) {
	const parsed = env.safeParse(source);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new ConfigError(`Invalid configuration: ${issue.message} (${issue.path.join('.')})`);
	}
	const e = parsed.data;
	const server = serverConfig(e);
	return {
		...server,
		...mailConfig(e, server.origin),
		...createLimitsConfig(e),
		uploads: uploadsConfig(e),
		docs: docsConfig(e),
		...accessLimitsConfig(e),
		discord: discordConfig(e),
		inbound: inboundConfig(e, e.PUBLIC_UPLOAD_MAX_BYTES)
	};
}
