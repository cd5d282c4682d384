import { describe, expect, it } from 'vitest';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { z } from 'zod';
import { DomainError } from '$lib/server/errors';
import { refused } from './refused';

const schema = z.object({ email: z.string(), key: z.string() });
const form = () => superValidate({ email: 'a@example.com', key: 'k' }, zod4(schema));

describe('refused', () => {
	it('puts the sentence under the given field, else the error’s own, with status 400', async () => {
		const f = await form();
		const named = refused(f, new DomainError('Taken.', 'email'), 'key');
		expect(named.status).toBe(400);
		expect(named.data.form.errors).toEqual({ key: ['Taken.'] });
		expect(named.data.form.valid).toBe(false);
		const own = refused(await form(), new DomainError('Bad email.', 'email'));
		expect(own.status).toBe(400);
		expect(own.data.form.errors).toEqual({ email: ['Bad email.'] });
	});

	it('answers an error without a field as the form message, keeping the input', async () => {
		const r = refused(await form(), new DomainError('That account does not exist.'));
		expect(r.status).toBe(400);
		expect(r.data.form.message).toBe('That account does not exist.');
		expect(r.data.form.data).toEqual({ email: 'a@example.com', key: 'k' });
	});

	it('rethrows anything that is not a refusal, so a bug stays a bug', async () => {
		const bug = new TypeError('x is undefined');
		expect(() => refused(form as never, bug)).toThrow(bug);
	});
});
