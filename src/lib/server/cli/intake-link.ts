import type { Db } from '$lib/server/db';
import * as customers from '$lib/server/customers';
import * as projects from '$lib/server/projects';

/** Parses `--project KEY --customer NAME [--days N]`; returns a usage problem as a string. */
export function parseIntakeArgs(
	args: string[]
): { project: string; customer: string; days: number } | string {
	const opts: Record<string, string> = {};
	for (let i = 0; i < args.length; i++) {
		const m = /^--(project|customer|days)(?:=(.*))?$/.exec(args[i]);
		if (!m) return `Unknown argument "${args[i]}"`;
		const value = m[2] ?? args[++i];
		if (value === undefined || value.trim() === '') return `--${m[1]} needs a value`;
		opts[m[1]] = value.trim();
	}
	if (!opts.project || !opts.customer) return '--project and --customer are required';
	const days = opts.days === undefined ? 30 : Number(opts.days);
	if (!Number.isInteger(days) || days < 1 || days > 3650)
		return '--days must be a whole number from 1 to 3650';
	return { project: opts.project, customer: opts.customer, days };
}

/**
 * Creates an intake link for a customer (created if no customer has that name) in a project.
 * Returns the URL, built from the configured origin; only the token's hash is stored.
 */
export async function createIntakeUrl(
	db: Db,
	origin: string,
	input: { project: string; customer: string; days: number }
): Promise<{ url: string; expiresAt: number; customerCreated: boolean }> {
	const project = await projects.findByKey(db, input.project);
	if (!project) throw new Error(`No project with the key "${input.project}"`);
	const existing = await customers.findByName(db, input.customer);
	const customer = existing ?? (await customers.create(db, { name: input.customer }));
	const link = await customers.createIntakeLink(db, {
		projectId: project.id,
		customerId: customer.id,
		days: input.days
	});
	const url = `${origin}/ticket/${project.key}?customer_token=${link.token}`;
	return { url, expiresAt: link.expiresAt, customerCreated: !existing };
}
