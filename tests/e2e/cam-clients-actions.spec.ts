// Clients tab procedures: Add employees (R4 with the R3 preview) and Change
// to Partner Admin (R9), step by step as the partner article writes them.
import { expect, resetDemoData, signIn, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

test('Add employees: a Partner Admin adds Dan to Acme with the Sales set', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  const row = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Acme Corp' });
  await row.hover();
  await row.getByRole('button', { name: 'Actions for Acme Corp' }).click();
  await page.getByRole('menuitem', { name: 'Add employees' }).click();

  const panel = page.getByRole('dialog', { name: 'Add employees to Acme Corp' });
  await panel.getByRole('button', { name: /^Employees/ }).click();
  const choices = panel.getByRole('group', { name: 'Employees' });
  await expect(choices.getByLabel('Cleo Park')).toBeDisabled(); // already in this client
  await choices.getByLabel('Dan Reyes').check();
  await page.keyboard.press('Escape');
  await panel.getByLabel('Permission set').selectOption('sales');
  await expect(panel.getByRole('listitem').filter({ hasText: 'Dan Reyes' })).toContainText('Will get 10 permissions');
  await panel.getByRole('button', { name: 'Add employees' }).click();

  await expect(page.getByRole('status').getByText('1 employee added.')).toBeVisible();
  await expect(row).toContainText('3 of 3 active');
  await row.getByRole('link', { name: 'Acme Corp' }).click();
  const dan = page.getByRole('table', { name: 'Partner employees' }).getByRole('row').filter({ hasText: 'Dan Reyes' });
  await expect(dan).toContainText('Sales');
  await expect(dan).toContainText('Partner');
});

test('Change to Partner Admin: Ada migrates herself in Globex and is refused in Initech', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('globex');
  await expect(page.getByText('1 result', { exact: true })).toBeVisible();
  const globex = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Globex' });
  await expect(globex).toContainText('Super admin');
  await globex.hover();
  await globex.getByRole('button', { name: 'Actions for Globex' }).click();
  await page.getByRole('menuitem', { name: 'Change to Partner Admin' }).click();
  const dialog = page.getByRole('dialog', { name: /Change to Partner Admin/ });
  await dialog.getByRole('switch', { name: 'Keep billing permissions' }).click();
  await expect(dialog.getByRole('switch', { name: 'Keep billing permissions' })).toHaveAttribute('aria-checked', 'true');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('status').getByText('Changed to Partner Admin.')).toBeVisible();
  await expect(globex).toContainText('Partner Admin');

  await page.getByRole('searchbox', { name: 'Search clients' }).fill('initech');
  await expect(page).toHaveURL(/q=initech/);
  await expect(page.getByText('1 result', { exact: true })).toBeVisible();
  const initech = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Initech' });
  await initech.hover();
  await initech.getByRole('button', { name: 'Actions for Initech' }).click();
  await page.getByRole('menuitem', { name: 'Change to Partner Admin' }).click();
  const refused = page.getByRole('dialog', { name: /Change to Partner Admin/ });
  await refused.getByRole('button', { name: 'Confirm' }).click();
  await expect(refused.getByRole('alert')).toContainText('must keep at least one super admin');
  await refused.getByRole('button', { name: 'Cancel' }).click();
  await expect(initech).toContainText('Super admin');
});

test('Add employees is disabled, with the reason in words (no rule code), where Ada is a super admin but not a Partner Admin', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('globex');
  await expect(page.getByText('1 result', { exact: true })).toBeVisible();
  const globex = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Globex' });
  await globex.hover();
  await globex.getByRole('button', { name: 'Actions for Globex' }).click();
  const add = page.getByRole('menuitem', { name: /^Add employees/ });
  await expect(add).toHaveAttribute('aria-disabled', 'true');
  await expect(add).toContainText('You need to be a Partner Admin in this client account');
  await expect(add).not.toContainText('R2');
  await add.click({ force: true }); // a person can still click it: nothing opens
  await expect(page.getByRole('dialog')).toHaveCount(0);
});
