// SPEC R18 end to end: Carol sets a Sales-only ceiling for Northwind and an
// end of the relationship in 60 days, seeing who loses what before she
// confirms; Ada sees both on Acme's details, adds Dan as Partner Admin and
// the preview names what the ceiling leaves out; Dan holds only Sales
// permissions. Screens are kept for review (test-results/shots).
import { expect, isoDay, resetDemoData, shot, signIn, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));


test('the client sets a ceiling and an end for a partner; the partner grants within it', async ({ browser, page }) => {
  await signIn(page, 'carol@acme.example');
  await page.getByRole('link', { name: 'Partner access' }).click();
  const northwind = page.getByRole('region', { name: 'Northwind Digital' });
  await expect(northwind).toContainText('Ceiling');

  // The ceiling: Sales, previewed before it is confirmed, on the partner's own page.
  await northwind.getByRole('link', { name: 'Set ceiling' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ceiling for Northwind Digital' })).toBeVisible();
  const form = page.getByRole('region', { name: 'Ceiling' });
  await form.getByLabel('Permission set').selectOption('sales');
  // Who holds something outside it, and what each loses by the catalogue's groups.
  await expect(form).toContainText(/People holding something outside this ceiling: \d+ of \d+/);
  const loss = form.getByRole('listitem').filter({ hasText: 'Ada Lovelace' });
  await expect(loss.locator('dt').first()).toBeVisible();
  await shot(page, 'ceiling-preview');
  await form.getByRole('button', { name: 'Set ceiling' }).click();
  await expect(page.getByRole('status').getByText('Ceiling saved.')).toBeVisible();
  await expect(page.locator('dl.facts')).toContainText('Sales ·');

  // The relationship's end, 60 days ahead.
  const day = isoDay(60);
  // As the app shows a date in English (the format is the app's, the day the test's).
  const shown = new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC',
  });
  const end = page.getByRole('region', { name: 'Relationship ends' });
  await end.getByLabel('End date').fill(day);
  await end.getByRole('button', { name: 'Change relationship end' }).click();
  await expect(page.getByRole('status').getByText('End date saved.')).toBeVisible();
  await expect(page.locator('dl.facts')).toContainText(shown);
  await shot(page, 'partner-terms');

  // Back on Partner access, the partner's terms are shown.
  await page.getByRole('link', { name: '← Partner access' }).click();
  await expect(northwind).toContainText('Sales ·');
  await expect(northwind).toContainText(shown);
  await shot(page, 'partner-access-terms');

  // Ada, on the partner side: told, and the ceiling on Acme's details.
  const ada = await (await browser.newContext()).newPage();
  await signIn(ada, 'ada@northwind.example');
  await ada.getByRole('button', { name: /^Notifications, \d+ unread/ }).click();
  await expect(ada.getByRole('group', { name: 'Notifications' })).toContainText("Acme Corporation lowered Northwind Digital's ceiling");
  await ada.keyboard.press('Escape');
  const acme = ada.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Acme Corp' });
  await expect(acme).toContainText(shown);
  await acme.getByRole('link', { name: 'Acme Corp' }).click();
  await expect(ada.locator('dl.facts')).toContainText('View contacts, Edit contacts');
  await expect(ada.locator('dl.facts')).toContainText(shown);

  // Adding Dan with the Partner Admin set: the preview names what the ceiling leaves out.
  await ada.getByRole('button', { name: 'Add employees' }).click();
  const panel = ada.getByRole('dialog', { name: 'Add employees to Acme Corp' });
  await panel.getByRole('button', { name: /^Employees/ }).click();
  await panel.getByRole('group', { name: 'Employees' }).getByLabel('Dan Reyes').check();
  await ada.keyboard.press('Escape');
  await panel.getByLabel('Permission set').selectOption('partner_admin');
  await expect(panel).toContainText("Above Acme Corp's ceiling for Northwind Digital:");
  await shot(ada, 'add-employees-above-ceiling');
  await panel.getByRole('button', { name: 'Add employees' }).click();
  await expect(ada.getByRole('status').getByText('1 employee added.')).toBeVisible();

  // Dan holds only Sales permissions there (as the partner's own page reads them).
  const id = ada.url().split('/').pop();
  const details = await (await ada.request.get(`/api/v1/accounts/1/cam/clients/${id}`)).json();
  const dan: string[] = details.employees.find((e: { name: string }) => e.name === 'Dan Reyes').permissions;
  const ceiling: string[] = details.ceiling;
  expect(dan.length).toBeGreaterThan(0);
  for (const p of dan) expect(ceiling).toContain(p);
  // The Partner Admin set's Add and edit users lies outside Sales: left out.
  expect(dan).not.toContain('users_edit');
  const adaHolds: string[] = details.employees.find((e: { name: string }) => e.name === 'Ada Lovelace').permissions;
  for (const p of adaHolds) expect(ceiling).toContain(p);
});

test('the client picks a ceiling from the grouped catalogue, its own edits name it, and an ended relationship reads Ended on both sides', async ({ browser, page, request }) => {
  await signIn(page, 'carol@acme.example');
  await page.getByRole('link', { name: 'Partner access' }).click();
  await page.getByRole('region', { name: 'Northwind Digital' }).getByRole('link', { name: 'Set ceiling' }).click();
  const form = page.getByRole('region', { name: 'Ceiling' });
  await expect(form).toBeVisible();
  const terms = page.url();

  // Chosen permissions, from the catalogue's groups.
  await form.getByLabel('Permission set').selectOption({ label: 'Chosen permissions' });
  const crm = form.getByRole('group', { name: 'CRM' });
  // They start from the set shown before (Sales); Carol unticks them all.
  await expect(crm.getByLabel('Edit deals')).toBeChecked();
  const ticked = form.getByRole('group', { name: 'Chosen permissions' }).getByRole('checkbox', { checked: true });
  while ((await ticked.count()) > 0) await ticked.first().uncheck();
  await crm.getByLabel('View contacts').check();
  await crm.getByLabel('View deals').check();
  await expect(form.getByRole('group', { name: 'Reports' }).getByLabel('View reports')).not.toBeChecked();
  await expect(form).toContainText('People holding something outside this ceiling: 2 of 2');
  await shot(page, 'ceiling-chosen');
  await form.getByRole('button', { name: 'Set ceiling' }).click();
  await expect(page.getByRole('status').getByText('Ceiling saved.')).toBeVisible();
  await expect(page.locator('dl.facts')).toContainText('View contacts, View deals');

  // The relationship ends tomorrow.
  const day = isoDay(1);
  const end = page.getByRole('region', { name: 'Relationship ends' });
  await end.getByLabel('End date').fill(day);
  await end.getByRole('button', { name: 'Change relationship end' }).click();
  await expect(page.getByRole('status').getByText('End date saved.')).toBeVisible();

  // Carol's own Edit permissions for Ada names what the ceiling leaves out.
  await page.goto(terms.replace(/\/settings\/partner-access\/\d+$/, '/settings/users'));
  const ada = page.getByRole('table', { name: 'Users & Teams' }).getByRole('row').filter({ hasText: 'Ada Lovelace' });
  await ada.hover();
  await ada.getByRole('button', { name: 'Actions for Ada Lovelace' }).click();
  await page.getByRole('menuitem', { name: 'Edit permissions' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit permissions for Ada Lovelace' });
  await dialog.getByLabel('Permission set').selectOption('sales');
  const above = dialog.locator('dl div').filter({ hasText: "Above Acme Corporation's ceiling for Northwind Digital" });
  await expect(above.locator('dd')).toContainText('Edit contacts');
  await expect(above.locator('dd')).not.toContainText('View contacts');
  await shot(page, 'edit-permissions-above-ceiling');
  await page.keyboard.press('Escape');

  // The day after: the relationship has ended, on both sides.
  const after = Date.parse(`${day}T00:00:00Z`) / 1000 + 60;
  expect((await request.put('/api/v1/test/clock', { data: { now: after } })).status()).toBe(204);
  const shown = new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC',
  });
  // (A day later, by the browsers' clocks too; the sessions have lapsed:
  // both sign in again.)
  await page.clock.install({ time: new Date(after * 1000) });
  await signIn(page, 'carol@acme.example');
  await page.goto(terms);
  await expect(page.locator('dl.facts')).toContainText(`Ended ${shown}`);
  const partner = await (await browser.newContext()).newPage();
  await partner.clock.install({ time: new Date(after * 1000) });
  await signIn(partner, 'ada@northwind.example');
  const acme = partner.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Acme Corp' });
  await expect(acme).toContainText(`Ended ${shown}`);
  // (Its "days left" are R10's: the relationship ends 60 days after the
  // last of the partner's people was deactivated.)
  await expect(acme).not.toContainText(/-\d+ days?|\b0 days/);
  await shot(partner, 'clients-relationship-ended');
});
