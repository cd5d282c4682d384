import { isIPv6 } from 'node:net';

/**
 * The key a client is rate-limited by: an IPv4 address as is, an IPv6 address by its /64
 * (one subscriber usually owns a whole /64). IPv4-mapped IPv6 counts as IPv4.
 */
export function clientKey(address: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (mapped) return mapped[1];
	if (!isIPv6(address)) return address;
	return expandIPv6(address).slice(0, 4).join(':') + '::/64';
}

function expandIPv6(address: string): string[] {
	const [head, tail = ''] = address.split('%')[0].split('::');
	const h = head ? head.split(':') : [];
	const t = tail ? tail.split(':') : [];
	const groups = address.includes('::')
		? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
		: h;
	return groups.map((g) => (parseInt(g, 16) || 0).toString(16));
}
