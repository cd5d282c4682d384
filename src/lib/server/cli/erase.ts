import { endSessionsOnErasure } from '$lib/server/portal/session';
import { createStorage } from '$lib/server/attachments/create-storage';
import type { Config } from '$lib/server/config';
import { connectDatabase } from '$lib/server/db';
import { createLogger } from '$lib/server/log';
import {
	createPrivacy,
	createPrivacyLimits,
	normalizeEmail,
	type EndSessions,
	type Privacy
} from '$lib/server/privacy';
import type { Command } from './command';

const USAGE = 'Usage: npm run portal -- erase --email ADDRESS [--yes]';

/** Parses `--email ADDRESS [--yes]`; returns a usage problem as a string. */
export function parseEraseArgs(args: string[]): { email: string; yes: boolean } | string {
	let email: string | undefined;
	let yes = false;
	for (let i = 0; i < args.length; i++) {
		if (args[i] === '--yes' || args[i] === '-y') {
			yes = true;
			continue;
		}
		const m = /^--email(?:=(.*))?$/.exec(args[i]);
		if (!m) return `Unknown argument "${args[i]}"`;
		email = m[1] ?? args[++i];
	}
	if (!email) return '--email is required';
	const normalized = normalizeEmail(email);
	if (!normalized) return `"${email}" is not an email address`;
	return { email: normalized, yes };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Without `yes`, says what erasing the address would change and that nothing was erased; with
 * it, erases (see `privacy.eraseData`) and prints the summary. Returns the exit code.
 */
export async function runErase(
	privacy: Privacy,
	input: { email: string; yes: boolean },
	print: (line: string) => void
): Promise<number> {
	const preview = await privacy.preview(input.email);
	if (!preview) return 2;
	const what = `${plural(preview.tickets, 'ticket')}, ${plural(preview.messages, 'message')} written by them, ${plural(preview.files, 'uploaded file')}`;
	if (!input.yes) {
		print(`Erasing ${input.email} would replace their name and address on ${what}.`);
		print('Their links stop working, mail queued for them is cancelled, their files are deleted.');
		print('Nothing was erased. Run again with --yes to erase.');
		return 1;
	}
	const s = await privacy.eraseData(input.email, { kind: 'system', id: null });
	if (!s) return 2;
	print(`Erased ${input.email}:`);
	print(`  ${plural(s.tickets, 'ticket')} anonymized (name and address replaced)`);
	print(
		`  ${plural(s.recipients, 'link')} revoked, ${plural(s.cancelledMails, 'queued mail')} cancelled`
	);
	print(`  ${plural(s.messages, 'message')} re-attributed, ${plural(s.files, 'file')} deleted`);
	print(
		`  ${plural(s.customers, 'customer record')} anonymized, ${plural(s.sessions, 'portal session')} ended`
	);
	print(`  ${plural(s.textValues, 'text value')} where the address or name was replaced`);
	return 0;
}

/** The person's "My tickets" sessions end with the erasure. */
const endSessions: EndSessions = endSessionsOnErasure;

export const eraseCommand: Command = {
	usage: 'erase --email ADDRESS [--yes]',
	summary: "erase a person's name, address, links and files (asks for --yes)",
	async run(args, config: Config) {
		const parsed = parseEraseArgs(args);
		if (typeof parsed === 'string') {
			console.error(`${parsed}\n${USAGE}`);
			return 2;
		}
		const { db, close } = await connectDatabase(config);
		try {
			const privacy = createPrivacy({
				db,
				storage: await createStorage(config),
				log: createLogger('silent'),
				limits: createPrivacyLimits({
					export: { points: 0, durationSec: 1 },
					erase: { points: 0, durationSec: 1 }
				}),
				endSessions
			});
			return await runErase(privacy, parsed, (line) => console.log(line));
		} finally {
			await close();
		}
	}
};
