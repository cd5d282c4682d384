/**
 * A person's data: the export of what their links show and its erasure. Import as a namespace
 * (`import * as privacy from '$lib/server/privacy'`) or use the app's `app().privacy` service.
 */
import type { ActorKind } from '$lib/server/audit';
import type { AttachmentStorage } from '$lib/server/attachments/storage';
import type { Db } from '$lib/server/db';
import type { Logger } from '$lib/server/log';
import { erase, preview, type EndSessions, type ErasureSummary } from './erase';
import { exportData, type DataExport } from './export';
import type { PrivacyLimits } from './limits';
import { normalizeEmail } from './subject';

export {
	erase,
	preview,
	type EndSessions,
	type ErasurePreview,
	type ErasureSummary
} from './erase';
export { exportData, type DataExport } from './export';
export { createPrivacyLimits, type PrivacyLimits, type Requester } from './limits';
export { normalizeEmail } from './subject';
export { textColumns } from './columns';

/**
 * The address a portal session speaks for: its email, or a Discord user's synthetic address
 * (`<id>@users.discord.invalid`, the reporter address of the tickets they opened with /ticket).
 */
export function addressOf(who: { email: string | null; discordUserId: string | null }): string {
	return who.email ?? `${who.discordUserId}@users.discord.invalid`;
}

export interface PrivacyDeps {
	db: Db;
	storage: AttachmentStorage;
	log: Logger;
	limits: PrivacyLimits;
	/** Ends the person's portal sessions inside the erasure's transaction. */
	endSessions?: EndSessions;
}

/** The privacy service the app container builds once. */
export function createPrivacy(deps: PrivacyDeps) {
	const { db, storage, log } = deps;
	return {
		limits: deps.limits,
		/** Counts what erasing the address would change (for the confirmation step). */
		preview(email: string) {
			const address = normalizeEmail(email);
			return address ? preview(db, address) : Promise.resolve(null);
		},
		/**
		 * The person's data as a ZIP stream (see `exportData`); null for a malformed address.
		 * Logs that an export happened, with counts only.
		 */
		async exportData(
			email: string,
			options: { includeRevoked?: boolean; by?: 'portal' | 'staff' } = {}
		): Promise<DataExport | null> {
			const address = normalizeEmail(email);
			if (!address) return null;
			const result = await exportData({ db, storage, log }, address, options);
			log.info(
				{ by: options.by ?? 'portal', tickets: result.tickets, files: result.files },
				'data export'
			);
			return result;
		},
		/**
		 * Erases the person (see `erase`), then removes their files from storage. A crash between
		 * the commit and the removal leaves files no row names, which the orphan sweep removes.
		 */
		async eraseData(
			email: string,
			actor: { kind: ActorKind; id: number | null }
		): Promise<ErasureSummary | null> {
			const address = normalizeEmail(email);
			if (!address) return null;
			const { summary, storageKeys } = await erase(db, address, {
				actor,
				endSessions: deps.endSessions
			});
			let failed = 0;
			for (const key of storageKeys) {
				try {
					await storage.remove(key);
				} catch {
					failed++;
				}
			}
			log.info(
				{ by: actor.kind, ...summary, storedFiles: storageKeys.length, removeFailed: failed },
				'data erased'
			);
			return summary;
		}
	};
}

export type Privacy = ReturnType<typeof createPrivacy>;
