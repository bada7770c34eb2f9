// What SECURITY.md promises, seen in the browser: someone deactivated is
// signed out at once; a Partner Admin is not offered changes to a super
// admin (R12); the access-link page is served under the strict policy.
import { expect, resetDemoData, signIn, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

test('Eve, deactivated by Carol, is signed out of her open page at once', async ({ page, browser }) => {
  const eve = await (await browser.newContext()).newPage();
  await signIn(eve, 'eve@contractor.example');

  await signIn(page, 'carol@acme.example');
  const row = page.getByRole('table', { name: 'Users & Teams' }).getByRole('row').filter({ hasText: 'Eve Sousa' });
  await row.hover();
  await row.getByRole('button', { name: 'Actions for Eve Sousa' }).click();
  await page.getByRole('menuitem', { name: 'Deactivate' }).click();
  await expect(page.getByRole('status').getByText('Eve Sousa was deactivated.')).toBeVisible();

  // Her next step finds her signed out.
  await eve.reload();
  await expect(eve.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(eve.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  // Carol, who acted, is still signed in.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('Ada, a Partner Admin in Acme, may not change or remove the super admin Carol, and is told why', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('button', { name: /Switch account/ }).click();
  await page.getByRole('menuitemradio', { name: /Acme Corporation/ }).click();
  const table = page.getByRole('table', { name: 'Users & Teams' });
  await expect(table.getByRole('row').filter({ hasText: 'Carol Jensen' })).toContainText('Super admin');
  const carol = table.getByRole('row').filter({ hasText: 'Carol Jensen' });
  await carol.hover();
  await carol.getByRole('button', { name: 'Actions for Carol Jensen' }).click();
  for (const item of await page.getByRole('menuitem').all()) {
    await expect(item).toHaveAttribute('aria-disabled', 'true');
    await expect(item).toContainText('Only super admins can change the seat or status of a super admin');
  }
  await page.keyboard.press('Escape');
  await expect(table.getByRole('button', { name: 'Actions for Eve Sousa' })).toHaveCount(1);
  await page.screenshot({ path: 'test-results/users-partner-admin-view.png', fullPage: true });
});

test('the access-link page is served under the strict policy, with no referrer to other sites', async ({ page }) => {
  const res = await page.goto('/access/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');
  const headers = res!.headers();
  expect(headers['content-security-policy']).toContain("default-src 'none'");
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).not.toContain('unsafe-inline');
  expect(headers['referrer-policy']).toBe('same-origin');
  expect(headers['x-content-type-options']).toBe('nosniff');
  // The app runs under it (the fixture fails on any CSP violation) and says the link is not valid.
  await expect(page.getByText(/not valid/i).first()).toBeVisible();
});
