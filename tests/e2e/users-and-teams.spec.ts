// The client article: Users & Teams, the Partner Admin template (R11), the
// client-side migration (R9) and what Partner Admins cannot do (R12).
import { expect, resetDemoData, shot, signIn, signOut, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

test('Carol creates Dan from the Partner Admin template after assigning him a partner seat', async ({ page }) => {
  await signIn(page, 'carol@acme.example');
  await expect(page.getByRole('heading', { level: 1, name: 'Users & Teams' })).toBeVisible();
  await page.getByRole('button', { name: 'Create user' }).click();
  const wizard = page.getByRole('dialog', { name: 'Create user' });
  await wizard.getByLabel('Email').fill('dan@northwind.example');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByText('Step 2 of 2')).toBeVisible();
  // Step 1's answer, said before the name is asked; Dan has a user, so none is needed.
  await expect(wizard.getByText('dan@northwind.example is not a user in this account yet.')).toBeVisible();
  await wizard.getByLabel('Restrict access with a default permission set').check();
  const template = wizard.getByLabel('Choose template');
  await expect(template.locator('option', { hasText: 'Partner Admin' })).toHaveCount(0);
  await expect(wizard.getByText('Assign a partner seat to this person before choosing the Partner Admin template')).toBeVisible();
  await wizard.getByRole('button', { name: 'Assign a partner seat' }).click();
  await expect(wizard.getByLabel('Seat')).toHaveValue('partner');
  await expect(template.locator('option', { hasText: 'Partner Admin' })).toHaveCount(1);
  await expect(wizard.getByRole('table', { name: 'Super admin compared with Partner Admin' })).toBeVisible();
  await template.selectOption('partner_admin');
  await wizard.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status').getByText('User created.')).toBeVisible();
  const dan = page.getByRole('table', { name: 'Users & Teams' }).getByRole('row').filter({ hasText: 'Dan Reyes' });
  await expect(dan).toContainText('Partner Admin');
  await expect(dan).toContainText('Partner');
  await expect(dan).toContainText('Northwind Digital');
});

test('Gina changes the partner super admin Ada to Partner Admin in Globex', async ({ page }) => {
  await signIn(page, 'gina@globex.example');
  await expect(page.getByText('partner users still need a paid Sales or Service seat')).toBeVisible();
  const ada = page.getByRole('table', { name: 'Users & Teams' }).getByRole('row').filter({ hasText: 'Ada Lovelace' });
  await expect(ada).toContainText('Super admin');
  await ada.hover();
  await ada.getByRole('button', { name: 'Actions for Ada Lovelace' }).click();
  await page.getByRole('menuitem', { name: 'Change to Partner Admin' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change Ada Lovelace to Partner Admin' });
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('status').getByText('Changed to Partner Admin.')).toBeVisible();
  await expect(ada).toContainText('Partner Admin');
});

test('Ada, a Partner Admin in Acme, is refused Billing and SCIM with the rule shown', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('button', { name: /Switch account/ }).click();
  await page.getByRole('menuitemradio', { name: /Acme Corporation/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users & Teams' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link', { name: 'Billing' }).click();
  await expect(page.getByRole('alert')).toContainText('Billing is open to super admins');
  await expect(page.getByRole('alert')).not.toContainText(/\(R\d+\)/);
  await nav.getByRole('link', { name: 'User provisioning (SCIM via Okta)' }).click();
  await expect(page.getByRole('alert')).toContainText('Only super admins can set up user provisioning');
  await expect(page.getByRole('alert')).not.toContainText(/\(R\d+\)/);
  await expect(page.getByRole('button', { name: 'Generate SCIM token' })).toHaveCount(0);
});

test('Carol, a super admin, uses Billing, SCIM and Data centre migration', async ({ page }) => {
  await signIn(page, 'carol@acme.example');
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link', { name: 'Billing' }).click();
  await page.getByLabel('Billing contact email').fill('invoices@acme.example');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').getByText('Saved.')).toBeVisible();
  await nav.getByRole('link', { name: 'User provisioning (SCIM via Okta)' }).click();
  await page.getByRole('button', { name: 'Generate SCIM token' }).click();
  await expect(page.getByLabel('Copy this token into Okta now; it is shown only once.')).toHaveValue(/^[A-Za-z0-9_-]{43}$/);
  await nav.getByRole('link', { name: 'Data centre migration' }).click();
  await page.getByLabel('United States').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').getByText('Saved.').last()).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('United States')).toBeChecked();
});

test('Carol edits Eve\'s permissions with a set and an individual permission, seeing the diff first', async ({ page }) => {
  await signIn(page, 'carol@acme.example');
  const table = page.getByRole('table', { name: 'Users & Teams' });
  // Paid features follow the seat: the partner seat gives Sales and Service in a classic account.
  await expect(table.getByRole('row').filter({ hasText: 'Cleo Park' })).toContainText('Sales, Service');
  const eve = table.getByRole('row').filter({ hasText: 'Eve Sousa' });
  await eve.hover();
  await eve.getByRole('button', { name: 'Actions for Eve Sousa' }).click();
  await page.getByRole('menuitem', { name: 'Edit permissions' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit permissions for Eve Sousa' });
  await dialog.getByLabel('Permission set').selectOption('view_only');
  await dialog.getByRole('button', { name: /^Add permissions/ }).click();
  await dialog.getByRole('group', { name: 'Add permissions' }).getByLabel('Edit deals').check();
  await page.keyboard.press('Escape');
  await expect(dialog.locator('dl')).toContainText('Edit deals');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').getByText('Permission set changed.')).toBeVisible();
});

test('in a seat-based account the partner seat gives no paid features', async ({ page }) => {
  await signIn(page, 'gina@globex.example');
  const ada = page.getByRole('table', { name: 'Users & Teams' }).getByRole('row').filter({ hasText: 'Ada Lovelace' });
  await expect(ada.getByRole('cell').nth(3)).toHaveText('None');
});

test('Carol makes Cleo a super admin, then changes her to Partner Admin keeping billing', async ({ page }) => {
  await signIn(page, 'carol@acme.example');
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link', { name: 'Super admins' }).click();
  await page.getByRole('button', { name: 'Make super admin: Cleo Park' }).click();
  await expect(page.getByRole('button', { name: 'Remove super admin rights: Cleo Park' })).toBeVisible();
  await nav.getByRole('link', { name: 'Users & Teams' }).click();
  const cleo = page.getByRole('table', { name: 'Users & Teams' }).getByRole('row').filter({ hasText: 'Cleo Park' });
  await expect(cleo).toContainText('Super admin');
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Actions for Cleo Park' }).click();
  await page.getByRole('menuitem', { name: 'Change to Partner Admin' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change Cleo Park to Partner Admin' });
  await dialog.getByRole('switch', { name: 'Keep billing permissions' }).click();
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('status').getByText('Changed to Partner Admin.')).toBeVisible();
  await expect(cleo).toContainText('Partner Admin');
});

test('the role, seat and partner filters narrow the list, live in the address and survive a reload', async ({ page }) => {
  await signIn(page, 'carol@acme.example');
  const users = page.getByRole('table', { name: 'Users & Teams' });
  await page.getByLabel('Role', { exact: true }).selectOption('super_admin');
  await expect(page.getByText('1 result', { exact: true })).toBeVisible();
  await expect(users.getByRole('row')).toHaveCount(2); // header + Carol
  expect(new URL(page.url()).searchParams.get('role')).toBe('super_admin');

  await page.getByLabel('Role', { exact: true }).selectOption('sales');
  await page.getByLabel('Seat', { exact: true }).selectOption('partner');
  await expect(page.getByText('2 results', { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByText('2 results', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Seat', { exact: true })).toHaveValue('partner');
  await expect(page.getByLabel('Role', { exact: true })).toHaveValue('sales');

  await page.getByLabel('Role', { exact: true }).selectOption('');
  await page.getByLabel('Seat', { exact: true }).selectOption('');
  await page.getByLabel('Partner', { exact: true }).selectOption('false');
  await expect(page.getByText('2 results', { exact: true })).toBeVisible();
  for (const row of await users.getByRole('row').all()) await expect(row).not.toContainText('Northwind');
});

test('Users & Teams shows when each membership ends', async ({ page }) => {
  // Ada (Partner Admin in Acme) adds Dan there for 30 days.
  await signIn(page, 'ada@northwind.example');
  const row = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Acme Corp' });
  await row.hover();
  await row.getByRole('button', { name: 'Actions for Acme Corp' }).click();
  await page.getByRole('menuitem', { name: 'Add employees' }).click();
  const panel = page.getByRole('dialog', { name: 'Add employees to Acme Corp' });
  await panel.getByRole('button', { name: /^Employees/ }).click();
  await panel.getByRole('group', { name: 'Employees' }).getByLabel('Dan Reyes').check();
  await page.keyboard.press('Escape');
  await panel.getByLabel('Access ends').selectOption({ label: 'In 30 days' });
  await panel.getByRole('button', { name: 'Add employees' }).click();
  await expect(page.getByRole('status').getByText('1 employee added.')).toBeVisible();
  await signOut(page);
  // Carol sees each membership's own end in Acme's Users & Teams.
  await signIn(page, 'carol@acme.example');
  const users = page.getByRole('table', { name: 'Users & Teams' });
  await expect(users.getByRole('columnheader', { name: 'Access ends' })).toBeVisible();
  await expect(users.getByRole('row').filter({ hasText: 'Dan Reyes' })).toContainText('30 days left');
  await expect(users.getByRole('row').filter({ hasText: 'Carol Jensen' })).not.toContainText('days left');
  await shot(page, 'users-access-ends');
});
