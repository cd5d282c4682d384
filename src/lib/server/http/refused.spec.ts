import { describe, expect, it } from 'vitest';
import type { ActionFailure } from '@sveltejs/kit';
import { superValidate, type SuperValidated } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { z } from 'zod';
import { DomainError } from '$lib/server/errors';
import { refused } from './refused';

const schema = z.object({ email: z.string(), key: z.string() });
// `message()` is typed as either a failure or the plain form; with status 400 it is a failure.
const failed = (r: unknown) => r as ActionFailure<{ form: SuperValidated<z.infer<typeof schema>> }>;
const form = () => superValidate({ email: 'a@example.com', key: 'k' }, zod4(schema));

describe('refused', () => {
	it('puts the sentence under the given field, else the error’s own, with status 400', async () => {
		const f = await form();
		const named = failed(refused(f, new DomainError('Taken.', 'email'), 'key'));
		expect(named.status).toBe(400);
		expect(named.data.form.errors).toEqual({ key: ['Taken.'] });
		expect(named.data.form.valid).toBe(false);
		const own = failed(refused(await form(), new DomainError('Bad email.', 'email')));
		expect(own.status).toBe(400);
		expect(own.data.form.errors).toEqual({ email: ['Bad email.'] });
	});

	it('answers an error without a field as the form message, keeping the input', async () => {
		const r = failed(refused(await form(), new DomainError('That account does not exist.')));
		expect(r.status).toBe(400);
		expect(r.data.form.message).toBe('That account does not exist.');
		expect(r.data.form.data).toEqual({ email: 'a@example.com', key: 'k' });
	});

	it('rethrows anything that is not a refusal, so a bug stays a bug', async () => {
		const bug = new TypeError('x is undefined');
		expect(() => refused(form as never, bug)).toThrow(bug);
	});
});
