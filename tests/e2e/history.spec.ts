// R13 history: the change Ada makes in Acme appears in Client Access
// Manager's History tab and in Acme's own history, where Carol filters it and
// exports the rows she sees as CSV.
import * as fs from 'fs';
import { expect, resetDemoData, signIn, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

test('an access change is in both histories and the CSV export holds the rows on screen', async ({ browser, page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('acme');
  await expect(page.getByText('1 result', { exact: true })).toBeVisible();
  await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme Corp' }).click();
  const cleo = page.getByRole('table', { name: 'Partner employees' }).getByRole('row').filter({ hasText: 'Cleo Park' });
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Actions for Cleo Park' }).click();
  await page.getByRole('menuitem', { name: 'Deactivate' }).click();
  await expect(cleo).toContainText('Deactivated');

  await page.getByRole('link', { name: /Back to clients/ }).click();
  await page.getByRole('tab', { name: 'History' }).click();
  const partnerRow = page.getByRole('table', { name: 'History' }).getByRole('row').filter({ hasText: 'Cleo Park' });
  await expect(partnerRow).toContainText('Acme Corporation');
  await expect(partnerRow).toContainText('Deactivated');

  const carol = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await signIn(carol, 'carol@acme.example');
  await carol.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'History' }).click();
  await carol.getByLabel('Change').selectOption('deactivated');
  await expect(carol).toHaveURL(/action=deactivated/);
  const rows = carol.getByRole('table', { name: 'History' }).getByRole('row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('Ada Lovelace');
  await expect(rows.nth(1)).toContainText('Cleo Park');
  await carol.getByLabel('Change').selectOption('removed');
  await expect(carol.getByText('No access changes match these filters.')).toBeVisible();
  await carol.getByLabel('Change').selectOption('deactivated');
  await expect(rows).toHaveCount(2);

  const [download] = await Promise.all([carol.waitForEvent('download'), carol.getByRole('link', { name: 'Export CSV' }).click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('When (UTC),Who,Account,Whose access,Change,Permissions before,Permissions after,Detail');
  expect(csv).toHaveLength(2);
  expect(csv[1]).toContain('Ada Lovelace,Acme Corporation,Cleo Park,Deactivated');
});
