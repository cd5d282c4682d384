/**
 * Attachments: uploads on public create and reply, safe storage under generated ids, sharp
 * thumbnails, downloads, limits and quotas. Import as a namespace:
 * `import * as attachments from '$lib/server/attachments'`.
 */
export { receive, type Upload } from './receive';
export { filesFrom, stage, discard, type Staged, type Refusal, type Policy } from './stage';
export {
	insert,
	publicForTicket,
	attachTo,
	findForTicket,
	findByPublicId,
	toPublic,
	type Target,
	type TicketAttachments
} from './rows';
export { download, variantOf } from './serve';
export { createUploads, sweepOrphans, publicLimits, staffLimits, type Uploads } from './service';
export { sweep } from './sweep';
export { localStorage, type AttachmentStorage, type ByteRange } from './storage';
export { createStorage } from './create-storage';
export { sanitizeName, contentDisposition } from './names';
export { detectType, DEFAULT_ALLOWED_TYPES } from './detect';
export { refuseUpload } from './refuse';
export { commitStaged, type Within } from './commit';
export * as quota from './quota';
export { createImageQueue } from './images';
