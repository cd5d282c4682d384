import { m } from '$lib/paraglide/messages.js';
import type { Locale } from '$lib/paraglide/runtime.js';
import type { Config } from '$lib/server/config';
import type { Content } from '$lib/server/notifications/compose';
import type { ChannelSender, RecipientMail } from '$lib/server/notifications';
import { createDiscordApi, type DiscordApi } from './api';

const SYNTHETIC = /^(\d{5,25})@users\.discord\.invalid$/;
const MAX = 2000;

/** The Discord user a `channel = 'discord'` recipient stands for (from their synthetic address). */
export function discordUserOf(m: Pick<RecipientMail, 'recipient' | 'ticket'>): string | null {
	const fromAddress = SYNTHETIC.exec(m.recipient.email)?.[1];
	if (fromAddress) return fromAddress;
	return m.recipient.role === 'reporter' ? m.ticket.discord_user_id : null;
}

/** A notification as one Discord message (≤ 2000 characters): the quote gives way first. */
export function dmText(content: Content, unsubscribeUrl?: string, locale: Locale = 'en'): string {
	const o = { locale };
	const head = [`**${content.subject}**`, ...content.paragraphs].join('\n\n');
	const tail =
		`${content.action.label}: ${content.action.url}` +
		(unsubscribeUrl ? `\n-# ${m.mail_discord_stop({}, o)}: ${unsubscribeUrl}` : '');
	let quote = '';
	if (content.quote) {
		const room = MAX - head.length - tail.length - content.quote.author.length - 30;
		let body = content.quote.body.trim();
		if (body.length > room) body = body.slice(0, Math.max(0, room - 1)) + '…';
		if (room > 20)
			quote = `${content.quote.you ? m.mail_you_wrote({}, o) : m.mail_wrote({ author: content.quote.author }, o)}\n${body
				.split('\n')
				.map((l) => `> ${l}`)
				.join('\n')}`;
	}
	return [head, quote, tail].filter(Boolean).join('\n\n').slice(0, MAX);
}

/**
 * The outbox's delivery for Discord recipients: open the DM channel with the user, post the
 * notification with their thread link. A failure throws, so the outbox retries it later.
 */
export function discordDm(api: DiscordApi): ChannelSender {
	return (mail, content) => ({
		async deliver() {
			const userId = discordUserOf(mail);
			if (!userId) throw new Error('no Discord user for this recipient');
			const channel = await api.openDm(userId);
			const message = await api.sendMessage(
				channel.id,
				dmText(content, mail.links.unsubscribe, mail.locale)
			);
			return { info: `discord dm ${channel.id}/${message.id}` };
		}
	});
}

/** The extra delivery channels for the outbox: Discord DMs once a bot token is configured. */
export function discordChannels(config: Config['discord']): { discord?: ChannelSender } {
	if (!config.botToken) return {};
	return {
		discord: discordDm(createDiscordApi({ base: config.apiBase, botToken: config.botToken }))
	};
}
