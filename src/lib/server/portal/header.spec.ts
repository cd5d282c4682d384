import { describe, expect, it } from 'vitest';
import { portalHeader } from './header';

const me = { sessionId: 'x', email: 'o’<b>neil@example.com', discordUserId: null };

describe('portalHeader', () => {
	it('names the person as text, links My tickets and signs out by POST', () => {
		const html = portalHeader(me, '/tickets');
		expect(html).toContain('Signed in as o’&lt;b&gt;neil@example.com');
		expect(html).not.toContain('<b>');
		expect(html).toContain('<a href="/tickets" aria-current="page">My tickets</a>');
		expect(html).toContain('<form method="POST" action="/tickets?/signout">');
		expect(html).not.toContain('name="next"');
	});

	it('comes back to a create page after signing out there, and nowhere else', () => {
		expect(portalHeader(me, '/ticket/demo')).toContain('name="next" value="/ticket/demo"');
		expect(portalHeader(me, '/ticket/thread/abc.def')).not.toContain('name="next"');
		expect(
			portalHeader({ sessionId: 'y', email: null, discordUserId: '12345678901' }, '/')
		).toContain('Signed in with Discord');
	});
});
