import { describe, expect, it } from 'vitest';
import { dialectOf } from '$lib/server/db/dialect';
import { KARL, OTTO, seedPeople, testPrivacy } from '$lib/server/test/privacy';
import { testDb } from '$lib/server/test/test-db';
import { unzip } from '$lib/server/test/unzip';

const { db } = testDb();
const { storage, privacy } = testPrivacy(db);
await seedPeople(db, storage);

async function download(email: string) {
	const result = await privacy.exportData(email);
	const chunks: Buffer[] = [];
	for await (const chunk of result!.stream) chunks.push(chunk as Buffer);
	return unzip(Buffer.concat(chunks));
}

describe(`export (${dialectOf(db)})`, () => {
	it('holds their tickets, public conversation, own files and subscription, nothing else', async () => {
		const zip = await download('  zelda.quux@EXAMPLE.com ');
		const json = zip.get('data.json')!.toString('utf8');
		const data = JSON.parse(json);
		expect(data.tickets.map((t: { title: string }) => t.title).sort()).toEqual([
			'Engine by Zelda Quux',
			'Karl asks'
		]);
		const ta = data.tickets.find((t: { title: string }) => t.title.startsWith('Engine'));
		expect(ta.role).toBe('reporter');
		expect(ta.emailNotifications).toBe(true);
		expect(ta.fields).toEqual([{ label: 'Model', value: 'R-7' }]);
		const from = ta.conversation.map((m: { from: string; body: string }) => [m.from, m.body]);
		expect(from).toEqual([
			['you', 'My own words.'],
			['recipient', 'Otto was here, mail otto.other@example.com.'],
			['staff', 'Hi Zelda Quux!']
		]);
		// Their files only, under safe names; never Otto's, never the note's.
		const names = [...zip.keys()].filter((n) => n !== 'data.json').sort();
		expect(names).toHaveLength(2);
		expect(names.every((n) => /^files\/\d+-[^/\\]+$/.test(n) && !n.includes('..'))).toBe(true);
		expect(names.map((n) => zip.get(n)!.toString()).sort()).toEqual(['desc', 'zelda file']);
		expect(ta.files[0].path).toMatch(/^files\/\d+-etc_pass_wd\.txt$|^files\/\d+-pass_wd\.txt$/);
		const everything = [...zip.values()].map((v) => v.toString('utf8')).join('\n');
		expect(everything).not.toContain('INTERNAL-SENTINEL');
		expect(everything).not.toContain('HIDDEN-SENTINEL');
		expect(everything).not.toContain('otto file');
		expect(everything).not.toContain('note file');
		// Otto's address appears only inside the public text he wrote himself, never as data.
		expect(json.split(OTTO.email).length - 1).toBe(1);
		expect(json).not.toContain(KARL.email);
	});

	it('is empty for an address with no tickets', async () => {
		const zip = await download('nobody@example.com');
		expect(JSON.parse(zip.get('data.json')!.toString()).tickets).toEqual([]);
		expect(zip.size).toBe(1);
	});

	it('is rate limited per session and per client', async () => {
		const who = { sessionId: 'session-1', clientKey: '203.0.113.9' };
		expect((await privacy.limits.take('export', who)).ok).toBe(true);
		expect((await privacy.limits.take('export', who)).ok).toBe(true);
		const third = await privacy.limits.take('export', who);
		expect(third.ok).toBe(false);
		if (!third.ok) expect(third.message).toMatch(/Too many data downloads.*try again/);
		// Another session from another client has its own budget; erase limit 0 = off.
		expect((await privacy.limits.take('export', { sessionId: 's2', clientKey: 'x' })).ok).toBe(
			true
		);
		expect((await privacy.limits.take('erase', who)).ok).toBe(true);
	});
});
