import { describe, expect, it } from 'vitest';
import type { NewTemplateField } from '$lib/server/db/schema';
import { makeProject } from '$lib/server/test/factories';
import { TEST_SECRET, testDb } from '$lib/server/test/test-db';
import * as templates from './index';
import '$lib/server/i18n';
import { getServerAsyncLocalStorage, type Locale } from '$lib/paraglide/runtime.js';
import { makeTemplate } from '$lib/server/test/templates';

const { db } = testDb();

describe('custom field values', () => {
	const full = async (fields: Partial<NewTemplateField>[]) => {
		const p = await makeProject(db);
		const id = await makeTemplate(db, p.id, 'T', { fields, selectable: 1 });
		return (await templates.loadCatalog(db, TEST_SECRET, p)).templates.get(id)!;
	};
	const form = (entries: [string, string][]) => {
		const fd = new FormData();
		for (const [k, v] of entries) fd.append(k, v);
		return fd;
	};

	it('apply hidden and read-only defaults and ignore what the browser sends for them', async () => {
		const t = await full([
			{ key: 'browser', label: 'Browser', kind: 'text', required: 1 },
			{
				key: 'queue',
				label: 'Queue',
				kind: 'text',
				required: 1,
				visibility: 'hidden',
				default_value: JSON.stringify('triage-l1')
			},
			{
				key: 'sla',
				label: 'SLA',
				kind: 'text',
				visibility: 'readonly',
				default_value: JSON.stringify('standard')
			},
			{ key: 'nodefault', label: 'Internal', kind: 'text', visibility: 'hidden' }
		]);
		const raw = templates.publicRaw(
			t,
			form([
				['cf_browser', ' Firefox 128 '],
				['cf_queue', 'vip'],
				['cf_sla', 'platinum'],
				['cf_nodefault', 'x'],
				['cf_other', 'y']
			])
		);
		expect(raw).toEqual({ browser: ' Firefox 128 ' });
		expect(templates.readFields(t, raw)).toEqual({
			ok: true,
			values: { browser: 'Firefox 128', queue: 'triage-l1', sla: 'standard' }
		});
		const snap = JSON.stringify(templates.snapshot(t));
		expect(snap).toContain('"visibility":"hidden"');
		expect(snap).toContain('"default":"triage-l1"');
	});

	it('validate required public fields and each kind on the server', async () => {
		const t = await full([
			{ key: 'browser', label: 'Browser', kind: 'text', required: 1, pattern: '[A-Za-z]+ \\d+' },
			{ key: 'count', label: 'Users affected', kind: 'number', min: 1, max: 10 },
			{ key: 'contact', label: 'Other contact', kind: 'email' },
			{ key: 'site', label: 'Site', kind: 'url' },
			{ key: 'when', label: 'Since', kind: 'date' },
			{
				key: 'sev',
				label: 'Severity',
				kind: 'select',
				options: JSON.stringify([{ value: 'low', label: 'Low' }])
			},
			{
				key: 'areas',
				label: 'Areas',
				kind: 'multiselect',
				required: 1,
				options: JSON.stringify([
					{ value: 'ui', label: 'UI' },
					{ value: 'api', label: 'API' }
				])
			},
			{ key: 'agree', label: 'I agree', kind: 'checkbox', required: 1 }
		]);
		const bad = templates.readFields(
			t,
			templates.publicRaw(
				t,
				form([
					['cf_browser', 'firefox'],
					['cf_count', '11'],
					['cf_contact', 'nope'],
					['cf_site', 'javascript:alert(1)'],
					['cf_when', '2024-02-30'],
					['cf_sev', 'high'],
					['cf_areas', 'db']
				])
			)
		);
		expect(bad.ok).toBe(false);
		if (bad.ok) return;
		expect(Object.keys(bad.errors).sort()).toEqual([
			'agree',
			'areas',
			'browser',
			'contact',
			'count',
			'sev',
			'site',
			'when'
		]);
		expect(bad.errors.count).toEqual(['“Users affected” must be at most 10.']);

		expect(templates.readFields(t, templates.publicRaw(t, form([]))).ok).toBe(false);
		const missing = templates.readFields(t, templates.publicRaw(t, form([['cf_areas', 'ui']])));
		expect(missing.ok === false && missing.errors.browser).toEqual(['Fill in “Browser”.']);
		// In the reporter's language (the request's locale), plural forms included.
		const inLocale = (locale: Locale, entries: [string, string][]) =>
			getServerAsyncLocalStorage()!.run({ locale }, () =>
				templates.readFields(t, templates.publicRaw(t, form(entries)))
			);
		const german = inLocale('de', [['cf_areas', 'ui']]);
		expect(german.ok === false && german.errors.browser).toEqual([
			'Bitte füllen Sie „Browser“ aus.'
		]);
		const french = inLocale('fr', [
			['cf_areas', 'ui'],
			['cf_count', '11']
		]);
		expect(french.ok === false && french.errors.count).toEqual([
			'« Users affected » ne doit pas dépasser 10.'
		]);

		const good = templates.readFields(
			t,
			templates.publicRaw(
				t,
				form([
					['cf_browser', 'Firefox 128'],
					['cf_count', '3'],
					['cf_contact', 'a@example.com'],
					['cf_site', 'https://example.com/x'],
					['cf_when', '2024-02-29'],
					['cf_sev', 'low'],
					['cf_areas', 'api'],
					['cf_areas', 'ui'],
					['cf_agree', 'on']
				])
			)
		);
		expect(good).toEqual({
			ok: true,
			values: {
				browser: 'Firefox 128',
				count: 3,
				contact: 'a@example.com',
				site: 'https://example.com/x',
				when: '2024-02-29',
				sev: 'low',
				areas: ['ui', 'api'],
				agree: true
			}
		});
	});

	it('no template: no custom values at all', () => {
		expect(templates.readFields(null, {})).toEqual({ ok: true, values: {} });
		expect(templates.publicRaw(null, form([['cf_x', 'y']]))).toEqual({});
	});
});
