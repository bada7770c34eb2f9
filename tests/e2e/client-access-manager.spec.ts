// Ada browses Client Access Manager: both tabs with the demo data, the check
// marks, search, the access-type filter, sorting, paging and a client's details.
import { expect, resetDemoData, signIn, test } from './helpers';

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
  await expect(rows.first().getByRole('columnheader', { name: /Relationship/ })).toBeVisible();

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
