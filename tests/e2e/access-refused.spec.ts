// Cleo has neither super admin nor View and edit partner employees: Client
// Access Manager is refused with the reason, never a blank page.
import { expect, resetDemoData, signIn, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

test('Cleo is refused Client Access Manager with the rule explained', async ({ page }) => {
  await signIn(page, 'cleo@northwind.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Cleo Park' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Client Access Manager' })).toHaveCount(0);

  // A deep link does not get her in either.
  const northwind = new URL(page.url()).pathname.split('/')[2];
  await page.goto(`/accounts/${northwind}/client-access-manager/clients`);
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('heading', { name: "You don't have access to this page" })).toBeVisible();
  await expect(alert).toContainText('super admin of the partner account or hold View and edit partner employees');
  // The reason in words, never the rule's code.
  await expect(alert).not.toContainText(/\(R\d+\)/);
  await expect(page.getByRole('table')).toHaveCount(0);
});

test("another partner's client is not found, not merely forbidden", async ({ page }) => {
  await signIn(page, 'bo@bluebird.example');
  const bluebird = new URL(page.url()).pathname.split('/')[2];
  await page.goto(`/accounts/${bluebird}/client-access-manager/clients/3`);
  await expect(page.getByRole('alert').getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
