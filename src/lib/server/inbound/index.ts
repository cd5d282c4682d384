/**
 * Reply by email: the pipeline both receivers feed (the SMTP/LMTP listener here, the IMAP
 * poller) and the listener. Import as a namespace: `import * as inbound from '$lib/server/inbound'`.
 */
export type { InboundEnvelope, InboundOutcome, InboundPipeline } from './contract';
export { createPipeline, InboundDeferred, type PipelineDeps } from './pipeline';
export { createListener, type Listener, type ListenerOptions } from './listener';
export { normalize, LOCAL_NAME } from './addresses';
export { replyText, bodyText, htmlToText } from './text';
