// Every grant is bounded by what the granter holds (SPEC R3), on
// the client side too. Carol narrows Ada's Partner Admin permissions in Acme;
// Ada then creates Dan from the Partner Admin template and approves a link
// into Acme: both previews say what will not be granted and why, and what is
// stored holds no report permission.
import { expect, resetDemoData, signIn, signOut, test } from './helpers';
import type { Page } from '@playwright/test';

test.beforeEach(async ({ request }) => resetDemoData(request));

const REPORTS = ['reports_view', 'reports_edit'];

/** Carol gives `name` the Partner Admin set in Acme without both report
 * permissions (and, with `usersEdit`, Add and edit users on top). */
async function carolNarrows(page: Page, name = 'Ada Lovelace', usersEdit = false) {
  await signIn(page, 'carol@acme.example');
  const row = page.getByRole('table', { name: 'Users & Teams' }).getByRole('row').filter({ hasText: name });
  await row.hover();
  await row.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Edit permissions' }).click();
  const dialog = page.getByRole('dialog', { name: `Edit permissions for ${name}` });
  await dialog.getByLabel('Permission set').selectOption('partner_admin');
  if (usersEdit) {
    await dialog.getByRole('button', { name: /^Add permissions/ }).click();
    await dialog.getByRole('group', { name: 'Add permissions' }).getByLabel('Add and edit users').check();
    await page.keyboard.press('Escape');
  }
  await dialog.getByRole('button', { name: /^Remove permissions/ }).click();
  const remove = dialog.getByRole('group', { name: 'Remove permissions' });
  await remove.getByLabel('View reports').check();
  await remove.getByLabel('Edit reports').check();
  await page.keyboard.press('Escape');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').getByText('Permission set changed.')).toBeVisible();
  await signOut(page);
}

/** Ada signs in and switches to Acme, where she is now a narrowed Partner Admin. */
async function adaInAcme(page: Page) {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('button', { name: /Switch account/ }).click();
  await page.getByRole('menuitemradio', { name: /Acme Corporation/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users & Teams' })).toBeVisible();
}

/** The permissions a user holds in Acme, as the server stores them. */
async function permissionsInAcme(page: Page, email: string): Promise<string[]> {
  const session = await (await page.request.get('/api/v1/session')).json();
  const acme = session.memberships.find((m: { account_name: string }) => m.account_name === 'Acme Corporation');
  const users = await (await page.request.get(`/api/v1/accounts/${acme.account_id}/users?q=${email}`)).json();
  return users.rows[0].permissions;
}

test('Ada, without report permissions, creates Dan as Partner Admin: the preview and the stored user leave reports out', async ({ page }) => {
  await carolNarrows(page);
  await adaInAcme(page);
  await page.getByRole('button', { name: 'Create user' }).click();
  const wizard = page.getByRole('dialog', { name: 'Create user' });
  await wizard.getByLabel('Email').fill('dan@northwind.example');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByLabel('Restrict access with a default permission set').check();
  await wizard.getByRole('button', { name: 'Assign a partner seat' }).click();
  await expect(wizard.getByLabel('Seat')).toHaveValue('partner');
  await wizard.getByLabel('Choose template').selectOption('partner_admin');
  const preview = wizard.getByRole('region', { name: 'What will change' });
  await expect(preview).toContainText('Not granted, because you do not hold them here');
  await expect(preview).toContainText('View reports, Edit reports');
  await expect(preview).toContainText('You can give or take away only permissions you hold yourself in this account.');
  await page.screenshot({ path: 'test-results/grants-create-user-preview.png' });
  await wizard.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status').getByText('User created.')).toBeVisible();
  const dan = page.getByRole('table', { name: 'Users & Teams' }).getByRole('row').filter({ hasText: 'Dan Reyes' });
  await expect(dan).toContainText('Partner Admin');
  const held = await permissionsInAcme(page, 'dan@northwind.example');
  expect(held).toContain('deals_edit');
  for (const p of REPORTS) expect(held).not.toContain(p);
});

test('Eve, without report permissions, approves a link into Acme: the approval page says what will not be granted', async ({ browser, page }) => {
  // Eve is one of Acme's own people; Carol lets her add users, without reports.
  await carolNarrows(page, 'Eve Sousa', true);
  // Dan's link, taken from Client Access Manager by Ada.
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('tab', { name: 'Employees' }).click();
  await page.getByRole('table', { name: 'Employees' }).getByRole('link', { name: 'Dan Reyes' }).click();
  await page.getByRole('button', { name: 'Actions for Dan Reyes' }).click();
  await page.getByRole('menuitem', { name: 'Copy access link' }).click();
  const link = await page.getByRole('dialog', { name: 'Access link for Dan Reyes' }).getByLabel('Access link').inputValue();

  // SPEC §9 A8: Ada is Northwind's person in Acme, never the client approving.
  await page.goto(link);
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('alert')).toContainText('not as a partner\'s employee');
  await expect(page.getByRole('radio', { name: 'Acme Corporation' })).toHaveCount(0);

  const approver = await (await browser.newContext()).newPage();
  await approver.goto('/sign-in');
  await signIn(approver, 'eve@contractor.example');
  await approver.goto(link);
  await approver.getByRole('button', { name: 'Approve' }).click();
  await approver.getByRole('radio', { name: 'Acme Corporation' }).check();
  // What Eve does not hold is named, and the sentence above Grant access counts it out.
  await expect(approver.getByText('Left out because you do not hold them here: View reports, Edit reports')).toBeVisible();
  const sentence = approver.locator('.consequence');
  const said = (await sentence.innerText()).match(/^Dan Reyes gets (\d+) of (\d+) Partner Admin permissions in Acme Corporation, with no end date\.$/);
  expect(said, await sentence.innerText()).not.toBeNull();
  expect(Number(said![2]) - Number(said![1])).toBe(REPORTS.length);
  await approver.getByRole('button', { name: 'Grant access' }).click();
  const done = approver.getByRole('status').filter({ hasText: 'is now a Partner Admin' });
  await expect(done).toContainText('Dan Reyes is now a Partner Admin in Acme Corporation.');
  await expect(done).toContainText('View reports, Edit reports');

  const carol = await (await browser.newContext()).newPage();
  await carol.goto('/sign-in');
  await signIn(carol, 'carol@acme.example');
  const held = await permissionsInAcme(carol, 'dan@northwind.example');
  expect(held).toContain('contacts_edit');
  for (const p of REPORTS) expect(held).not.toContain(p);
});
