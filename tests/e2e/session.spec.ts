// Sign-in, deep links while signed out, the account switcher, and sign-out
// that leaves nothing behind the back button.
import { expect, PASSWORD, resetDemoData, signIn, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

test('a wrong password is explained and nobody is signed in', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('ada@northwind.example');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The email or password is not right.');
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

test('a deep link while signed out leads through sign-in and back to the link', async ({ page }) => {
  await page.goto('/accounts/1/client-access-manager/employees?q=eve');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel('Email').fill('ada@northwind.example');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/accounts\/1\/client-access-manager\/employees\?q=eve$/);
  await expect(page.getByRole('table', { name: 'Employees' }).getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('searchbox', { name: 'Search employees' })).toHaveValue('eve');
});

test('the account switcher moves Ada to Acme, where she sees Users & Teams', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('button', { name: /Switch account/ }).click();
  await page.getByRole('menuitemradio', { name: /Acme Corporation/ }).click();
  await expect(page.getByRole('status').getByText('Switched to Acme Corporation.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Users & Teams' })).toBeVisible();
  const users = page.getByRole('table', { name: 'Users & Teams' });
  await expect(users.getByRole('row').filter({ hasText: 'Ada Lovelace' })).toContainText('Northwind Digital');
  await expect(users.getByRole('row').filter({ hasText: 'Carol Jensen' })).toContainText('Super admin');
  await page.reload();
  await expect(page.getByRole('button', { name: /Switch account: Acme Corporation/ })).toBeVisible();
});

test('sign-out returns to sign-in and the back button does not reveal data', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await expect(page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme Corp' })).toBeVisible();
  await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme Corp' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Corp' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('status').getByText('You have signed out.')).toBeVisible();

  // Back to the pages seen while signed in: they ask for sign-in instead.
  await page.goBack();
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await expect(page.getByText('Acme Corp')).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);

  // The session is gone on the server too.
  const res = await page.request.get('/api/v1/session');
  expect(res.status()).toBe(401);
});

test('an unknown address shows a not-found page with a way home', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to your home page' }).click();
  await expect(page.getByRole('table', { name: 'Clients' })).toBeVisible();
});
