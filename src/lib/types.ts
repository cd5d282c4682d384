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
}
