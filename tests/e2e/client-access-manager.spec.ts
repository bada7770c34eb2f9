// Ada browses Client Access Manager: both tabs with the demo data, the check
// marks, search, the access-type filter, sorting, paging and a client's details.
import { expect, resetDemoData, shot, signIn, test, type Page } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

test('Ada opens Client Access Manager, sees both tabs with demo data and opens a client', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Client Access Manager' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Client Access Manager' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Clients' })).toHaveAttribute('aria-selected', 'true');

  const clients = page.getByRole('table', { name: 'Clients' });
  const acme = clients.getByRole('row').filter({ hasText: 'Acme Corp' });
  await expect(acme).toContainText('Acme Corporation'); // official name beneath the CRM name
  await expect(acme).toContainText('Partner Admin');
  await expect(acme).toContainText('Managed');
  await expect(page.getByText('45 results')).toBeVisible();

  await page.getByRole('tab', { name: 'Employees' }).click();
  await expect(page).toHaveURL(/\/client-access-manager\/employees$/);
  const employees = page.getByRole('table', { name: 'Employees' });
  const adaRow = employees.getByRole('row').filter({ hasText: 'ada@northwind.example' });
  const eveRow = employees.getByRole('row').filter({ hasText: 'eve@contractor.example' });
  await expect(adaRow.getByRole('img', { name: 'Verified partner domain' })).toBeVisible();
  await expect(eveRow.getByRole('img', { name: 'Verified partner domain' })).toHaveCount(0);

  await page.getByRole('tab', { name: 'Clients' }).click();
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('acme');
  await expect(page).toHaveURL(/q=acme/);
  await expect(page.getByText('1 result', { exact: true })).toBeVisible();
  await clients.getByRole('link', { name: 'Acme Corp' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Acme Corp' })).toBeVisible();
  await expect(page.getByText('Official name: Acme Corporation')).toBeVisible();
  const inClient = page.getByRole('table', { name: 'Partner employees' });
  const cleo = inClient.getByRole('row').filter({ hasText: 'Cleo Park' });
  await expect(cleo).toContainText('Sales');
  await expect(cleo).toContainText('Partner');
  await expect(cleo).toContainText('Active');
  await expect(cleo.getByRole('cell').filter({ hasText: /^3$/ })).toHaveCount(1); // assets owned
  await expect(inClient.getByRole('row').filter({ hasText: 'Eve Sousa' })).toHaveCount(0);

  // The browser's back button returns to the filtered list.
  await page.goBack();
  await expect(page).toHaveURL(/q=acme/);
  await expect(page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme Corp' })).toBeVisible();
});

test('the Clients tab filters by access type, sorts and pages, and keeps that state in the URL', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.goto('/');
  await expect(page.getByRole('table', { name: 'Clients' })).toBeVisible();

  await page.getByRole('button', { name: /Access types/ }).click();
  const filter = page.getByRole('group', { name: 'Access types' });
  for (const label of ['Partner Admin', 'Super admin', 'Other permission set', 'No access']) {
    await filter.getByLabel(label).uncheck();
  }
  await expect(filter.getByLabel('Deactivated')).toBeDisabled(); // the last choice stays
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/access=deactivated/);
  const rows = page.getByRole('table', { name: 'Clients' }).getByRole('row');
  await expect(rows.nth(1)).toContainText('Deactivated');
  await expect(rows.filter({ hasText: 'Partner Admin' })).toHaveCount(0);
  await expect(rows.first().getByRole('columnheader', { name: /Relationship/ }).first()).toBeVisible();

  await page.reload();
  await expect(page).toHaveURL(/access=deactivated/);
  await expect(rows.nth(1)).toContainText('Deactivated');

  await page.goto(page.url().replace(/\?.*$/, ''));
  await page.getByRole('button', { name: /^Client/ }).click();
  await expect(page).toHaveURL(/sort=name&dir=desc/);
  await expect(page.getByRole('columnheader', { name: /Client/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.nth(1)).toContainText('Zephyr Sails');

  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByText('Page 2 of 2')).toBeVisible();
  await expect(page).toHaveURL(/page=2/);
});

/** Ada gives `name` an end in Acme: adding Dan with one, or changing Cleo's. */
async function endInAcme(page: Page, name: string, label: string) {
  if (name === 'Dan Reyes') {
    const row = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Acme Corp' });
    await row.hover();
    await row.getByRole('button', { name: 'Actions for Acme Corp' }).click();
    await page.getByRole('menuitem', { name: 'Add employees' }).click();
    const panel = page.getByRole('dialog', { name: 'Add employees to Acme Corp' });
    await panel.getByRole('button', { name: /^Employees/ }).click();
    await panel.getByRole('group', { name: 'Employees' }).getByLabel('Dan Reyes').check();
    await page.keyboard.press('Escape');
    await panel.getByLabel('Access ends').selectOption({ label });
    await panel.getByRole('button', { name: 'Add employees' }).click();
    await expect(page.getByRole('status').getByText('1 employee added.')).toBeVisible();
    return;
  }
  await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme Corp' }).click();
  const person = page.getByRole('table', { name: 'Partner employees' }).getByRole('row').filter({ hasText: name });
  await person.hover();
  await person.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Change end date' }).click();
  const dialog = page.getByRole('dialog', { name: `Change end date · ${name}` });
  await dialog.getByLabel('Access ends').selectOption({ label });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').getByText('End date saved.')).toBeVisible();
  await page.goBack();
}

test('the Clients tab says whose end it shows: the soonest of the partner\'s people, by name', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  const clients = page.getByRole('table', { name: 'Clients' });
  // Not "Access ends" beside "Your access": Ada has no end; the column is the next end of anyone of Northwind there.
  await expect(clients.getByRole('columnheader', { name: 'Next end' })).toBeVisible();
  await expect(clients.getByRole('columnheader', { name: 'Access ends' })).toHaveCount(0);
  await endInAcme(page, 'Dan Reyes', 'In 30 days');
  const acme = clients.getByRole('row').filter({ hasText: 'Acme Corp' });
  await expect(acme).toContainText('· Dan Reyes');
  await expect(acme).toContainText('30 days left');
  await expect(acme).not.toContainText('soonest of');
  // Cleo's end comes later: still Dan's, now the soonest of two.
  await endInAcme(page, 'Cleo Park', 'In 90 days');
  await expect(acme).toContainText('· Dan Reyes');
  await expect(acme).toContainText('soonest of 2');
  await shot(page, 'clients-next-end');
});
