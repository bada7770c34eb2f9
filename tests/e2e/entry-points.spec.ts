// The front end is four pages (domain::entry::Entry): the app, an account's
// settings and assets, the access-link page, and the review and bulk work. Moving between the first
// two is a whole page load that the person does not notice: the message on
// screen goes along, back and forward work, deep links open the right page,
// and each page loads only its own code.
import { expect, resetDemoData, signIn, signOut, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

/** The wasm file the page loaded (its entry point's). */
async function wasmLoaded(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.wasm')),
  );
}

test('from Client Access Manager to Users & Teams and back: toasts go along, history works', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await expect(page.getByRole('table', { name: 'Clients' })).toBeVisible();
  expect(await wasmLoaded(page)).toEqual([expect.stringMatching(/^\/client-access-manager-[0-9a-f]+_bg\.wasm$/)]);
  await page.getByRole('tab', { name: 'Employees' }).click();
  await expect(page.getByRole('table', { name: 'Employees' })).toBeVisible();

  // The account switch lands on Users & Teams, the settings' own page.
  await page.getByRole('button', { name: /Switch account/ }).click();
  await page.getByRole('menuitemradio', { name: /Acme Corporation/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users & Teams' })).toBeVisible();
  await expect(page.getByRole('status').getByText('Switched to Acme Corporation.')).toBeVisible();
  expect(await wasmLoaded(page)).toEqual([expect.stringMatching(/^\/settings-[0-9a-f]+_bg\.wasm$/)]);

  // Within the settings page, links stay on it (no new load).
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Assets' }).click();
  await expect(page.getByRole('table', { name: 'Assets' })).toBeVisible();
  expect(await wasmLoaded(page)).toHaveLength(1);

  // Back through both pages, then forward again.
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Users & Teams' })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/accounts\/\d+\/client-access-manager\/employees$/);
  await expect(page.getByRole('table', { name: 'Employees' })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1, name: 'Users & Teams' })).toBeVisible();

  // Signing out from the settings page: sign-in says so.
  await signOut(page);
  await expect(page.getByRole('status').getByText('You have signed out.')).toBeVisible();
});

test('deep links open the page of their entry point, signed out through sign-in', async ({ page }) => {
  await page.goto('/sign-in');
  await signIn(page, 'carol@acme.example');
  const acme = new URL(page.url()).pathname.split('/')[2];
  await page.goto(`/accounts/${acme}/settings/super-admins`);
  await expect(page.getByRole('heading', { level: 1, name: 'Super admins' })).toBeVisible();
  expect(await wasmLoaded(page)).toEqual([expect.stringMatching(/^\/settings-/)]);
  // A settings page that does not exist is not found on the settings page itself.
  await page.goto(`/accounts/${acme}/settings/nothing-here`);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  // The brand link leads home, across to the app's page and back to Users & Teams.
  await page.getByRole('link', { name: 'Client Access Manager' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users & Teams' })).toBeVisible();

  // Signed out, a settings deep link goes through sign-in (on the app's page) and back.
  await page.context().clearCookies();
  await page.goto(`/accounts/${acme}/assets`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel('Email').fill('carol@acme.example');
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${acme}/assets$`));
  await expect(page.getByRole('table', { name: 'Assets' })).toBeVisible();
});
