// SPEC §8 end to end. R14: a grant with an end date, shown on the Clients
// tab, the client's details, the Employees tab and the employee page, the
// Ending within 30 days filter, changing it, and the test clock reaching the
// reminders and the end. R15: the client unticks permissions and sets an end
// before Grant access. R16: Settings > Partner access, suspend, resume and
// remove a partner's people. Screens are kept for review (test-results/shots).
import { DAY, expect, isoDay, resetDemoData, shot, signIn, test, type Page } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

/** Ada adds Dan to Acme with the Sales set, ending as `choose` sets it. */
async function addDanToAcme(page: Page, choose: (panel: ReturnType<Page['getByRole']>) => Promise<void>) {
  const row = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Acme Corp' });
  await row.hover();
  await row.getByRole('button', { name: 'Actions for Acme Corp' }).click();
  await page.getByRole('menuitem', { name: 'Add employees' }).click();
  const panel = page.getByRole('dialog', { name: 'Add employees to Acme Corp' });
  await panel.getByRole('button', { name: /^Employees/ }).click();
  await panel.getByRole('group', { name: 'Employees' }).getByLabel('Dan Reyes').check();
  await page.keyboard.press('Escape');
  await panel.getByLabel('Permission set').selectOption('sales');
  await choose(panel);
  await shot(page, 'add-employees-with-end');
  await panel.getByRole('button', { name: 'Add employees' }).click();
  await expect(page.getByRole('status').getByText('1 employee added.')).toBeVisible();
}

test('a grant ending in 30 days is shown everywhere, filtered, and its end removed', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await addDanToAcme(page, async (panel) => {
    await panel.getByLabel('Access ends').selectOption({ label: 'In 30 days' });
  });
  const clients = page.getByRole('table', { name: 'Clients' });
  await expect(clients.getByRole('row').filter({ hasText: 'Acme Corp' })).toContainText('30 days left');

  // The filter keeps only clients where access ends within 30 days.
  await page.getByLabel('Ending within 30 days', { exact: true }).check();
  await expect(page).toHaveURL(/ending=true/);
  await expect(page.getByText('1 result', { exact: true })).toBeVisible();
  await expect(clients.getByRole('row').nth(1)).toContainText('Acme Corp');
  await shot(page, 'clients-ending-filter');

  // The client's details: Dan's end date and days left.
  await clients.getByRole('link', { name: 'Acme Corp' }).click();
  const dan = page.getByRole('table', { name: 'Partner employees' }).getByRole('row').filter({ hasText: 'Dan Reyes' });
  await expect(dan).toContainText('30 days left');
  await shot(page, 'client-details-ends');

  // The Employees tab and the employee page.
  await page.goto('/accounts/1/client-access-manager/employees');
  const people = page.getByRole('table', { name: 'Employees' });
  await expect(people.getByRole('row').filter({ hasText: 'Dan Reyes' })).toContainText('30 days left');
  await people.getByRole('link', { name: 'Dan Reyes' }).click();
  const theirs = page.getByRole('table', { name: 'Clients' });
  await expect(theirs.getByRole('row').filter({ hasText: 'Acme Corp' })).toContainText('30 days left');
  await shot(page, 'employee-page-ends');

  // Whoever could grant removes the end date.
  await theirs.getByRole('link', { name: 'Acme Corp' }).click();
  await dan.hover();
  await dan.getByRole('button', { name: 'Actions for Dan Reyes' }).click();
  await page.getByRole('menuitem', { name: 'Change end date' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change end date · Dan Reyes' });
  await expect(dialog.getByLabel('Access ends')).toHaveValue('date');
  await dialog.getByLabel('Access ends').selectOption({ label: 'No end date' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').getByText('End date saved.')).toBeVisible();
  await expect(dan).not.toContainText('days left');
});

test('the test clock brings the 14-day reminder and then the end, by the system', async ({ page, request }) => {
  await signIn(page, 'ada@northwind.example');
  const day = isoDay(20);
  await addDanToAcme(page, async (panel) => {
    await panel.getByLabel('Access ends').selectOption({ label: 'On a date…' });
    await panel.getByLabel('End date').fill(day);
  });
  const end = Date.parse(`${day}T00:00:00Z`) / 1000;

  // 14 days before: the reminder, in-app (and by email).
  expect((await request.put('/api/v1/test/clock', { data: { now: end - 14 * DAY } })).status()).toBe(204);
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('button', { name: /^Notifications, \d+ unread/ }).click();
  await expect(page.getByRole('group', { name: 'Notifications' })).toContainText(`Access to Acme Corporation ends on ${day}`);
  await shot(page, 'reminder-notification');

  // At the second of the end: the system deactivates Dan, history says so.
  expect((await request.put('/api/v1/test/clock', { data: { now: end } })).status()).toBe(204);
  await signIn(page, 'ada@northwind.example');
  await page.goto('/accounts/1/client-access-manager/clients');
  await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme Corp' }).click();
  const dan = page.getByRole('table', { name: 'Partner employees' }).getByRole('row').filter({ hasText: 'Dan Reyes' });
  await expect(dan).toContainText('Deactivated');
  await page.getByRole('button', { name: /^Notifications, \d+ unread/ }).click();
  await expect(page.getByRole('group', { name: 'Notifications' })).toContainText('Access to Acme Corporation has ended');
  await page.keyboard.press('Escape');
  await page.goto('/accounts/1/client-access-manager/history');
  await expect(page.getByRole('table').getByRole('row').filter({ hasText: 'Access ended' }).first()).toContainText('Dan Reyes');
});

test('the client unticks permissions and sets an end before granting access', async ({ browser, page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('button', { name: 'Get access link' }).click();
  const link = await page.getByRole('dialog', { name: 'Your access link' }).getByLabel('Access link').inputValue();

  const uma = await (await browser.newContext()).newPage();
  await uma.goto(link);
  await uma.getByLabel('Email').fill('uma@umbrella.example');
  await uma.getByLabel('Password').fill('demo-password');
  await uma.getByRole('button', { name: 'Sign in' }).click();
  await uma.getByRole('button', { name: 'Approve' }).click();
  await uma.getByRole('group', { name: 'Account' }).getByLabel('Umbrella Health').check();
  await uma.getByText(/^Permissions: \d+ of \d+ chosen$/).click();
  const grant = uma.getByRole('group', { name: 'Permissions to grant' });
  await expect(grant.getByRole('checkbox', { name: 'Add and edit users' })).toBeChecked();
  await grant.getByRole('checkbox', { name: 'Add and edit users' }).uncheck();
  await grant.getByRole('checkbox', { name: 'Delete contacts' }).uncheck();
  await uma.getByLabel('Access ends').selectOption({ label: 'In 90 days' });
  await shot(uma, 'approval-narrowing');
  await uma.getByRole('button', { name: 'Grant access' }).click();
  await expect(uma.getByRole('heading', { level: 1, name: 'Access granted' })).toBeVisible();
  const done = uma.getByRole('status').filter({ hasText: 'is now a Partner Admin' });
  await expect(done).toContainText('Access ends on');

  // What the partner sees is what was granted.
  await page.goto('/accounts/1/client-access-manager/clients');
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('umbrella health');
  await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Umbrella Health' }).click();
  const ada = page.getByRole('table', { name: 'Partner employees' }).getByRole('row').filter({ hasText: 'Ada Lovelace' });
  await expect(ada).toContainText('90 days left');
  await expect(ada).toContainText('Partner Admin');
  // The stored grant, as the partner's own page reads it: without the two unticked.
  const id = page.url().split('/').pop();
  const details = await (await page.request.get(`/api/v1/accounts/1/cam/clients/${id}`)).json();
  const granted: string[] = details.employees.find((e: { name: string }) => e.name === 'Ada Lovelace').permissions;
  expect(granted).toContain('contacts_edit');
  expect(granted).not.toContain('users_edit');
  expect(granted).not.toContain('contacts_delete');
});

test('the client suspends a partner, the partner sees it, the client resumes and removes another', async ({ browser, page }) => {
  await signIn(page, 'carol@acme.example');
  await page.getByRole('link', { name: 'Partner access' }).click();
  await expect(page.getByRole('heading', { name: 'Partner access', level: 1 })).toBeVisible();
  const northwind = page.getByRole('region', { name: 'Northwind Digital' });
  const contoso = page.getByRole('region', { name: 'Contoso Partners' });
  await expect(northwind.getByRole('row').filter({ hasText: 'Cleo Park' })).toContainText('Sales');
  await expect(contoso.getByRole('row').filter({ hasText: 'Cody Marsh' })).toContainText('Partner Admin');
  await shot(page, 'partner-access');

  await northwind.getByRole('button', { name: 'Suspend access' }).click();
  const confirm = page.getByRole('dialog', { name: 'Suspend access of Northwind Digital' });
  await expect(confirm).toContainText('The 2 people of Northwind Digital');
  await confirm.getByRole('button', { name: 'Suspend access' }).click();
  await expect(page.getByRole('status').getByText('Access of Northwind Digital suspended.')).toBeVisible();
  await expect(northwind).toContainText('Suspended since');
  await expect(northwind.getByRole('row').filter({ hasText: 'Cleo Park' })).toContainText('Deactivated');
  await expect(contoso.getByRole('row').filter({ hasText: 'Cody Marsh' })).toContainText('Active');
  await shot(page, 'partner-access-suspended');

  // Ada, on the partner side: told, and nothing can be reactivated there.
  const ada = await (await browser.newContext()).newPage();
  await signIn(ada, 'ada@northwind.example');
  await ada.getByRole('button', { name: /^Notifications, \d+ unread/ }).click();
  await expect(ada.getByRole('group', { name: 'Notifications' })).toContainText("Acme Corporation suspended Northwind Digital's access");
  await ada.keyboard.press('Escape');
  await ada.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme Corp' }).click();
  await expect(ada.getByText('This client has suspended your partner\'s access')).toBeVisible();
  const cleo = ada.getByRole('table', { name: 'Partner employees' }).getByRole('row').filter({ hasText: 'Cleo Park' });
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Actions for Cleo Park' }).click();
  await expect(ada.getByRole('menuitem', { name: /^Reactivate/ })).toHaveAttribute('aria-disabled', 'true');
  await shot(ada, 'client-details-suspended');

  // Carol resumes: Northwind's people are active again.
  await northwind.getByRole('button', { name: 'Resume access' }).click();
  await expect(page.getByRole('status').getByText('Access of Northwind Digital resumed.')).toBeVisible();
  await expect(northwind.getByRole('row').filter({ hasText: 'Cleo Park' })).toContainText('Active');

  // And removes Contoso's people from Acme.
  await contoso.getByRole('button', { name: 'Remove people' }).click();
  const remove = page.getByRole('dialog', { name: 'Remove the people of Contoso Partners' });
  await remove.getByRole('button', { name: 'Remove people' }).click();
  await expect(page.getByRole('status').getByText('People of Contoso Partners removed.')).toBeVisible();
  await expect(contoso).toHaveCount(0);
});

test('Create user with the Partner Admin template and an end date; the page in Finnish', async ({ page }) => {
  await signIn(page, 'carol@acme.example');
  await page.getByRole('button', { name: 'Create user' }).click();
  const wizard = page.getByRole('dialog', { name: 'Create user' });
  await wizard.getByLabel('Email').fill('dan@northwind.example');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByLabel('Restrict access with a default permission set').check();
  await wizard.getByRole('button', { name: 'Assign a partner seat' }).click();
  await wizard.getByLabel('Choose template').selectOption('partner_admin');
  await wizard.getByLabel('Access ends').selectOption({ label: 'In 7 days' });
  await wizard.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status').getByText('User created.')).toBeVisible();
  await page.getByRole('link', { name: 'Partner access' }).click();
  const dan = page.getByRole('region', { name: 'Northwind Digital' }).getByRole('row').filter({ hasText: 'Dan Reyes' });
  await expect(dan).toContainText('7 days left');

  await page.getByRole('combobox', { name: 'Language' }).selectOption('fi');
  await expect(page.getByRole('heading', { name: 'Kumppanien pääsy', level: 1 })).toBeVisible();
  await expect(dan).toContainText('7 päivää jäljellä');
  await shot(page, 'partner-access-fi');
});
