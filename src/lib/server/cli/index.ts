import { loadConfig } from '$lib/server/config';
import { connectDatabase } from '$lib/server/db';
import { seedDemo } from '$lib/server/projects/seed';
import { backup } from './backup';
import { eraseCommand } from './erase';
import { docsReindex } from './docs';
import { migrateToPostgresCommand } from './migrate-to-postgres';
import { createIntakeUrl, parseIntakeArgs } from './intake-link';
import { setupUrl } from '$lib/server/auth/first-run';
import { discordCommand } from '$lib/server/discord/cli';
import type { Command } from './command';

/** Commands by name. Later features add theirs here. */
export const commands: Record<string, Command> = {
	migrate: {
		usage: 'migrate',
		summary: 'apply pending database migrations',
		async run(_args, config) {
			const { close, dialect } = await connectDatabase(config);
			await close();
			console.log(
				`Database is up to date: ${dialect === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : config.dbFile}`
			);
			return 0;
		}
	},
	'seed-demo': {
		usage: 'seed-demo',
		summary: 'create the demo project on an empty database',
		async run(_args, config) {
			const { db, close } = await connectDatabase(config);
			try {
				console.log(
					(await seedDemo(db))
						? 'Seeded the demo project "demo".'
						: 'Projects exist already; nothing seeded.'
				);
			} finally {
				await close();
			}
			return 0;
		}
	},
	'docs reindex': docsReindex,
	'setup-link': {
		usage: 'setup-link',
		summary: 'print a one-time link (valid 1 hour) that creates an admin account',
		async run(_args, config) {
			const { db, close } = await connectDatabase(config);
			try {
				console.log(
					`Create an admin account within 1 hour at:\n  ${(await setupUrl(db, config.origin)).url}`
				);
			} finally {
				await close();
			}
			return 0;
		}
	},
	backup: {
		usage: 'backup <file>',
		summary: 'copy the live database to <file> (online backup) and check the copy',
		async run(args, config) {
			if (!args[0]) {
				console.error('Usage: npm run portal -- backup <file>');
				return 2;
			}
			if (config.databaseUrl) {
				// The online SQLite backup cannot copy PostgreSQL; pg_dump is the tool for that.
				console.error(
					`backup copies the SQLite database only. On PostgreSQL, back up with pg_dump:\n  pg_dump --format=custom --file=${shellQuote(args[0])} "$DATABASE_URL"\nand restore with: pg_restore --dbname="$DATABASE_URL" ${shellQuote(args[0])}`
				);
				return 2;
			}
			const result = await backup(config.dbFile, args[0]);
			console.log(
				`Backup written to ${result.file} (${result.pages} pages); integrity_check: ${result.integrity}`
			);
			return result.integrity === 'ok' ? 0 : 1;
		}
	},
	'intake-link': {
		usage: 'intake-link --project KEY --customer NAME [--days N]',
		summary: 'print a customer intake link (default 30 days; creates the customer if missing)',
		async run(args, config) {
			const parsed = parseIntakeArgs(args);
			if (typeof parsed === 'string') {
				console.error(
					`${parsed}\nUsage: npm run portal -- intake-link --project KEY --customer NAME [--days N]`
				);
				return 2;
			}
			const { db, close } = await connectDatabase(config);
			try {
				const link = await createIntakeUrl(db, config.origin, parsed);
				if (link.customerCreated) console.log(`Created the customer "${parsed.customer}".`);
				console.log(
					`Intake link (shown once, valid until ${new Date(link.expiresAt).toISOString()}):`
				);
				console.log(link.url);
			} finally {
				await close();
			}
			return 0;
		}
	},
	erase: eraseCommand,
	discord: discordCommand,
	'migrate-to-postgres': migrateToPostgresCommand
};

function help(): string {
	const width = Math.max(...Object.values(commands).map((c) => c.usage.length));
	return [
		'Usage: npm run portal -- <command>',
		'',
		...Object.values(commands).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`)
	].join('\n');
}

/** Runs one CLI command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
	const [first, ...rest] = argv;
	// Two-word commands ("docs reindex") are keyed by both words.
	const pair = `${first} ${rest[0]}`;
	const [name, ...args] = pair in commands ? [pair, ...rest.slice(1)] : [first, ...rest];
	if (!name || name === 'help' || name === '--help') {
		console.log(help());
		return name ? 0 : 2;
	}
	const command = commands[name];
	if (!command) {
		console.error(`Unknown command "${name}".\n\n${help()}`);
		return 2;
	}
	return command.run(args, loadConfig());
}

/** A file name as one shell word, for commands printed to copy and paste. */
function shellQuote(s: string): string {
	return /^[\w./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}
