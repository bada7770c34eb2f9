// Client details procedures: Change permission set (R3), Deactivate and
// Reactivate (R2, R8) and Remove partner employee for everyone (R7).
import { expect, resetDemoData, signIn, signOut, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

async function openAcme(page: import('@playwright/test').Page) {
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('acme');
  await expect(page.getByText('1 result', { exact: true })).toBeVisible();
  await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme Corp' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Corp' })).toBeVisible();
}

test('Change permission set: Cleo moves from Sales to View only with a preview', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await openAcme(page);
  const cleo = page.getByRole('table', { name: 'Partner employees' }).getByRole('row').filter({ hasText: 'Cleo Park' });
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Actions for Cleo Park' }).click();
  await page.getByRole('menuitem', { name: 'Change permission set' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change permission set for Cleo Park' });
  await dialog.getByLabel('Permission set').selectOption('view_only');
  await expect(dialog.getByText('Edit deals')).toBeVisible(); // listed under Removed
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('status').getByText('Permission set changed.')).toBeVisible();
  await expect(cleo).toContainText('View only');
});

test('Deactivate keeps the employee; Reactivate needs a Partner Admin', async ({ page }) => {
  await signIn(page, 'ben@northwind.example');
  await openAcme(page);
  const cleo = page.getByRole('table', { name: 'Partner employees' }).getByRole('row').filter({ hasText: 'Cleo Park' });
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Actions for Cleo Park' }).click();
  await page.getByRole('menuitem', { name: 'Deactivate' }).click();
  await expect(page.getByRole('status').getByText('Cleo Park was deactivated.')).toBeVisible();
  await expect(cleo).toContainText('Deactivated');
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Actions for Cleo Park' }).click();
  await expect(page.getByRole('menuitem', { name: /Reactivate/ })).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByRole('menuitem', { name: /Reactivate/ })).toContainText('Partner Admin in this client account to do this');
  await expect(page.getByRole('menuitem', { name: /Reactivate/ })).not.toContainText(/\(R\d+\)/);
  await page.keyboard.press('Escape');

  await signOut(page);
  await signIn(page, 'ada@northwind.example');
  await openAcme(page);
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Actions for Cleo Park' }).click();
  await page.getByRole('menuitem', { name: 'Reactivate' }).click();
  await expect(cleo).toContainText('Active');
});

test('Remove partner employee: every employee of a client, with their assets reviewed', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('button', { name: /Access types/ }).click();
  const filter = page.getByRole('group', { name: 'Access types' });
  for (const box of await filter.getByRole('checkbox').all()) {
    await expect(box).toBeChecked(); // all access types ticked
  }
  await page.keyboard.press('Escape');
  await openAcme(page);
  const table = page.getByRole('table', { name: 'Partner employees' });
  await table.getByRole('checkbox', { name: 'Select all' }).check();
  await page.getByRole('button', { name: 'Remove partner employee' }).click();
  const wizard = page.getByRole('dialog', { name: 'Remove partner employee' });
  await expect(wizard.getByRole('listitem').filter({ hasText: 'Cleo Park' })).toContainText('Acme renewal 2027');
  await expect(wizard.getByRole('listitem').filter({ hasText: 'Ada Lovelace' })).toContainText('No assets');
  // Right above the button: who loses what, by name, and what is left unowned.
  await expect(wizard.getByText(/^(Ada Lovelace and Cleo Park|Cleo Park and Ada Lovelace) lose access to Acme Corp\. \d+ assets? stays? without an owner\.$/)).toBeVisible();
  await wizard.getByRole('button', { name: 'Confirm removal' }).click();
  await expect(page.getByRole('status').getByText(/^(Ada Lovelace and Cleo Park|Cleo Park and Ada Lovelace) removed from Acme Corp\.$/)).toBeVisible();
  await expect(table).toContainText('None of your employees are in this client account.');
  await expect(page.getByText(/Ending .* 60 days left/)).toBeVisible();
});
