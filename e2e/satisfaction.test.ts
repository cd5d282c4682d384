import { expect, test, type Page } from '@playwright/test';
import { withDb } from './fixtures/data';
import { expectAccessible, mailsTo, uniqueEmail, type Mail } from './fixtures/helpers';
import { openTicket, reporterTicket, useStaffServer } from './fixtures/staff';

// "Did this solve it?" after a resolve (issue 18 part 2), on a server of its own.
const s = useStaffServer();

const rounds = (title: string) =>
	withDb(
		(db) =>
			db
				.prepare(
					`SELECT r.answer, r.comment FROM csat_rounds r JOIN tickets t ON t.id = r.ticket_id
					 WHERE t.title = ? ORDER BY r.started_at`
				)
				.all(title),
		s.server.dataDir
	);

const feedbackLinks = (mail: Mail) =>
	[...(mail.text ?? '').matchAll(/https?:\/\/\S+\/feedback\?answer=(?:yes|no)/g)].map((m) => m[0]);

async function resolve(page: Page, title: string) {
	await openTicket(page, s.server.origin, title);
	await page.getByLabel('Status').selectOption('resolved');
	await page.getByRole('button', { name: 'Change status' }).click();
	await expect(page.getByText('Status changed.')).toBeVisible();
}

test('resolve asks the reporter by mail and on the page; only the POST records; reopen starts a new round', async ({
	browser
}) => {
	const origin = s.server.origin;
	const email = uniqueEmail('csat');
	const title = `Export empty ${Date.now()}`;
	const reporter = await (await browser.newContext()).newPage();
	const threadUrl = await reporterTicket(reporter, origin, email, title);
	const staff = await s.adminPage(browser);
	await resolve(staff, title);

	// The resolve mail has two links, one per answer, each the reporter's own thread link.
	const mail = (await mailsTo(email, 2, s.server.dataDir)).find((m) =>
		m.subject?.includes('resolved')
	)!;
	expect(mail.text).toContain('Did this solve it?');
	const [yes, no] = feedbackLinks(mail);
	expect([yes, no]).toEqual([
		`${threadUrl}/feedback?answer=yes`,
		`${threadUrl}/feedback?answer=no`
	]);
	expect(mail.html).toContain('Yes, solved');
	expect(mail.html).toContain('No, not solved');

	// A mail scanner's plain GETs record nothing.
	for (const link of [yes, no]) expect((await fetch(link)).status).toBe(200);
	expect(rounds(title)).toEqual([{ answer: null, comment: null }]);

	// The page shows the choice preselected and records only when sent.
	await reporter.goto(no);
	await expect(reporter.getByRole('radio', { name: 'No, not solved' })).toBeChecked();
	await expectAccessible(reporter);
	expect(rounds(title)).toEqual([{ answer: null, comment: null }]);
	await reporter.getByLabel('Comment (optional)').fill('The export is still empty.');
	await reporter.getByRole('button', { name: 'Send answer' }).click();
	await expect(reporter.getByText('Thank you, your answer is saved.')).toBeVisible();
	expect(rounds(title)).toEqual([{ answer: 'not_solved', comment: 'The export is still empty.' }]);

	// A change of mind from the thread page: the latest answer wins.
	await reporter.goto(threadUrl);
	await expect(reporter.getByText('Your answer: no, not solved.')).toBeVisible();
	await expectAccessible(reporter);
	await reporter.getByRole('radio', { name: 'Yes, solved' }).check();
	await reporter.getByLabel('Comment (optional)').fill('Works after clearing the cache.');
	await reporter.getByRole('button', { name: 'Send answer' }).click();
	await expect(reporter.getByText('Thank you, your answer is saved.')).toBeVisible();
	expect(rounds(title)).toEqual([{ answer: 'solved', comment: 'Works after clearing the cache.' }]);

	// Staff see it on the ticket and on Inbox → Satisfaction.
	await openTicket(staff, origin, title);
	const card = staff.getByRole('region', { name: 'Satisfaction' });
	await expect(card).toContainText('Solved');
	await expect(card).toContainText('Works after clearing the cache.');
	await staff.goto(`${origin}/app`);
	await staff.getByRole('link', { name: 'Satisfaction' }).click();
	await staff.getByLabel('Period').selectOption('7');
	await staff.getByRole('button', { name: 'Show' }).click();
	await expect(staff.getByText('100 % solved')).toBeVisible();
	await expect(staff.getByText('Works after clearing the cache.')).toBeVisible();

	// The reporter replies: the ticket reopens and the round is closed.
	await reporter.goto(threadUrl);
	await reporter.getByLabel('Message').fill('It broke again after the update.');
	await reporter.getByRole('button', { name: 'Send reply' }).click();
	await expect(reporter.getByRole('status').filter({ hasText: 'open again' })).toBeVisible();
	await reporter.goto(yes);
	await expect(reporter.getByText('This question is closed')).toBeVisible();
	await expect(reporter.getByRole('radio')).toHaveCount(0);

	// The next resolve is a new round, answered on its own; the first keeps its answer.
	await resolve(staff, title);
	const again = (await mailsTo(email, 3, s.server.dataDir)).filter((m) =>
		m.subject?.includes('resolved')
	);
	expect(again).toHaveLength(2);
	await reporter.goto(feedbackLinks(again[1])[1]);
	await expect(reporter.getByRole('radio', { name: 'No, not solved' })).toBeChecked();
	await reporter.getByRole('button', { name: 'Send answer' }).click();
	await expect(reporter.getByText('Thank you, your answer is saved.')).toBeVisible();
	expect(rounds(title)).toEqual([
		{ answer: 'solved', comment: 'Works after clearing the cache.' },
		{ answer: 'not_solved', comment: null }
	]);
	await staff.goto(`${origin}/app/satisfaction?period=7`);
	await expect(staff.getByText('50 % solved')).toBeVisible();
	await expect(staff.getByText('The export is still empty.')).toHaveCount(0); // replaced in round 1
	await reporter.context().close();
	await staff.context().close();
});
