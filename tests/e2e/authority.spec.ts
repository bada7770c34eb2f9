// SPEC §9 in the browser: every action shows what its decision answers the
// signed-in user, and says why one is closed. A client-set end is the
// client's (the partner may only move it earlier); a partner's person never
// acts on another partner's people on Users & Teams; Settings > Partner
// access is for the client's own people only. Screens are kept for review
// (test-results/shots).
import { expect, isoDay, resetDemoData, shot, signIn, signOut, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

test('a client-set end is the client\'s: the partner may move it earlier, never later nor away', async ({ page }) => {
  // Carol (Acme's super admin) gives Cleo's access an end 10 days ahead.
  await signIn(page, 'carol@acme.example');
  await page.getByRole('link', { name: 'Partner access' }).click();
  const northwind = page.getByRole('region', { name: 'Northwind Digital' });
  const cleo = northwind.getByRole('row').filter({ hasText: 'Cleo Park' });
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Actions for Cleo Park' }).click();
  await page.getByRole('menuitem', { name: 'Change end date' }).click();
  const set = page.getByRole('dialog', { name: 'Change end date · Cleo Park' });
  await set.getByLabel('Access ends').selectOption({ label: 'On a date…' });
  await set.getByLabel('End date').fill(isoDay(10));
  await set.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').getByText('End date saved.')).toBeVisible();
  await signOut(page);

  // Ada, on the partner side: removing it or moving it later is refused
  // before she sends anything; an earlier day is allowed.
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme Corp' }).click();
  const row = page.getByRole('table', { name: 'Partner employees' }).getByRole('row').filter({ hasText: 'Cleo Park' });
  await expect(row).toContainText('days left');
  await row.hover();
  await row.getByRole('button', { name: 'Actions for Cleo Park' }).click();
  await page.getByRole('menuitem', { name: 'Change end date' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change end date · Cleo Park' });
  await dialog.getByLabel('Access ends').selectOption({ label: 'No end date' });
  await expect(dialog.getByRole('status')).toContainText('The client set this end date');
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
  await shot(page, 'client-set-end-refused');
  await dialog.getByLabel('Access ends').selectOption({ label: 'In 30 days' });
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
  await dialog.getByLabel('Access ends').selectOption({ label: 'On a date…' });
  await dialog.getByLabel('End date').fill(isoDay(4));
  await expect(dialog.getByRole('status')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toContainText(/[34] days left/);
});

test('on Users & Teams a partner\'s person never acts on another partner\'s people, and has no Partner access', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  const acme = await page.request.get('/api/v1/session');
  const session = await acme.json();
  const id = session.memberships.find((m: { account_name: string }) => m.account_name === 'Acme Corporation').account_id;
  await page.goto(`/accounts/${id}/settings/users`);
  const users = page.getByRole('table', { name: 'Users & Teams' });
  const cora = users.getByRole('row').filter({ hasText: 'Cora Lind' });
  await cora.hover();
  await cora.getByRole('button', { name: 'Actions for Cora Lind' }).click();
  const deactivate = page.getByRole('menuitem', { name: /^Deactivate/ });
  await expect(deactivate).toHaveAttribute('aria-disabled', 'true');
  await expect(deactivate).toContainText("A partner's employees act only on their own partner's people");
  await shot(page, 'users-other-partner-refused');
  await page.keyboard.press('Escape');
  // Her own partner's Cleo is within reach.
  const cleo = users.getByRole('row').filter({ hasText: 'Cleo Park' });
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Actions for Cleo Park' }).click();
  await expect(page.getByRole('menuitem', { name: /^Deactivate/ })).toHaveAttribute('aria-disabled', 'false');
  await page.keyboard.press('Escape');
  // Settings > Partner access is the client's own: no link, and the page is not found.
  await expect(page.getByRole('link', { name: 'Partner access' })).toHaveCount(0);
  await page.goto(`/accounts/${id}/settings/partner-access`);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Northwind Digital' })).toHaveCount(0);
  await shot(page, 'partner-access-not-for-partners');
});
