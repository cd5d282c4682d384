/** Shapes shared by server and browser code. Nothing here may hold an internal id. */

export type TicketStatus = 'open' | 'waiting' | 'resolved' | 'rejected';

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
	/** Files attached to this message. */
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

/** What the thread page's poll (`…/messages?after=<cursor>`) gets when something changed. */
export interface ThreadChanges {
	status: TicketStatus;
	/** Public messages after the cursor, oldest first (may be empty when only the status changed). */
	messages: PublicMessage[];
	cursor: string;
}

/** A piece of a snippet; `hit` pieces are the words that matched. Rendered as text, never HTML. */
export interface Segment {
	text: string;
	hit: boolean;
}

/** One suggested doc, as `GET /ticket/{project}/suggestions?q=` answers. */
export interface Suggestion {
	slug: string;
	title: string;
	url: string;
	snippet: Segment[];
}
