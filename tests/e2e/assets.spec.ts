// Assets: search, owner filter, create, rename and reassign; a partner
// employee's change counts as partner activity.
import { expect, resetDemoData, signIn, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

test('Carol filters Acme assets by owner, renames one and gives it to herself', async ({ page }) => {
  await signIn(page, 'carol@acme.example');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Assets' }).click();
  const table = page.getByRole('table', { name: 'Assets' });
  await expect(table.getByRole('row')).toHaveCount(6);
  await page.getByLabel('Owner', { exact: true }).selectOption({ label: 'Cleo Park' });
  await expect(table.getByRole('row')).toHaveCount(4);
  await page.getByRole('searchbox', { name: 'Search assets' }).fill('renewal');
  await expect(table.getByRole('row')).toHaveCount(2);
  const row = table.getByRole('row').filter({ hasText: 'Acme renewal 2027' });
  await row.hover();
  await row.getByRole('button', { name: 'Actions for Acme renewal 2027' }).click();
  await page.getByRole('menuitem', { name: 'Rename or reassign' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename or reassign' });
  await dialog.getByLabel('Name').fill('Acme renewal 2028');
  await dialog.getByLabel('Owner').selectOption({ label: 'Carol Jensen' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').getByText('Asset saved.')).toBeVisible();
  await page.getByLabel('Owner', { exact: true }).selectOption({ label: 'Carol Jensen' });
  await page.getByRole('searchbox', { name: 'Search assets' }).fill('');
  await expect(table.getByRole('row').filter({ hasText: 'Acme renewal 2028' })).toBeVisible();
});

test('Cleo, a partner employee on Sales, creates a deal and is refused a workflow', async ({ page }) => {
  await signIn(page, 'cleo@northwind.example');
  await page.getByRole('button', { name: /Switch account/ }).click();
  await page.getByRole('menuitemradio', { name: /Acme Corporation/ }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Assets' }).click();
  await page.getByRole('button', { name: 'New asset' }).click();
  const dialog = page.getByRole('dialog', { name: 'New asset' });
  await dialog.getByLabel('Kind').selectOption('deal');
  await dialog.getByLabel('Name').fill('Expansion 2028');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('table', { name: 'Assets' }).getByRole('row').filter({ hasText: 'Expansion 2028' })).toBeVisible();
  await page.getByRole('button', { name: 'New asset' }).click();
  await dialog.getByLabel('Kind').selectOption('workflow');
  await dialog.getByLabel('Name').fill('Not allowed');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText('You need edit permission');
});
