/** Shapes shared by server and browser code. Nothing here may hold an internal id. */

/** A message as the public thread shows it. `id` is the message's random public id. */
export interface PublicMessage {
	id: string;
	kind: 'message' | 'event';
	event: string | null;
	author: string;
	/** 'you' = the link holder, 'staff', 'recipient' = someone else on the ticket, 'system'. */
	from: 'you' | 'staff' | 'recipient' | 'system';
	body: string;
	createdAt: number;
	/** Files attached to this message (attachments issue). */
	attachments?: PublicAttachment[];
}

/** An attachment as public pages show it: random public id, display name, type, size. */
export interface PublicAttachment {
	id: string;
	name: string;
	mime: string;
	size: number;
	/** Whether a re-encoded image (thumbnail/display copy) exists. */
	image: boolean;
	width: number | null;
	height: number | null;
}
