// Employees tab procedures: Link clients (R5) and the two-step Remove
// employee from clients wizard (R6).
import { expect, resetDemoData, signIn, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

test('Link clients: Eve, a user in Acme without the partner domain, is linked', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('tab', { name: 'Employees' }).click();
  const eve = page.getByRole('table', { name: 'Employees' }).getByRole('row').filter({ hasText: 'Eve Sousa' });
  await expect(eve.getByRole('cell').nth(2)).toHaveText('0');
  await eve.hover();
  await eve.getByRole('button', { name: 'Actions for Eve Sousa' }).click();
  await page.getByRole('menuitem', { name: 'Link clients' }).click();
  const dialog = page.getByRole('dialog', { name: 'Link clients for Eve Sousa' });
  await dialog.getByLabel('Client').selectOption({ label: 'Acme Corp' });
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('status').getByText('Client linked.')).toBeVisible();
  await expect(eve.getByRole('cell').nth(2)).toHaveText('1');
});

test('Remove employee from clients: choose, review, done', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('tab', { name: 'Employees' }).click();
  const cleo = page.getByRole('table', { name: 'Employees' }).getByRole('row').filter({ hasText: 'Cleo Park' });
  const before = Number(await cleo.getByRole('cell').nth(2).innerText());
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Actions for Cleo Park' }).click();
  await page.getByRole('menuitem', { name: 'Remove employee from clients' }).click();
  const wizard = page.getByRole('dialog', { name: 'Remove Cleo Park from clients' });
  await expect(wizard.getByText('Step 1 of 2')).toBeVisible();
  const acme = wizard.getByRole('checkbox', { name: /Acme Corp/ });
  await expect(wizard.getByText('Pipeline by stage')).toBeVisible();
  await acme.check();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByText('Step 2 of 2')).toBeVisible();
  await expect(wizard.getByRole('listitem').filter({ hasText: 'Acme Corp' })).toContainText('Jordan Miles');
  await expect(wizard.getByText(/^Cleo Park loses access to Acme Corp\. \d+ assets? stays? without an owner\.$/)).toBeVisible();
  await wizard.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('status').getByText('Cleo Park removed from Acme Corp.')).toBeVisible();
  await expect(cleo.getByRole('cell').nth(2)).toHaveText(String(before - 1));
});
