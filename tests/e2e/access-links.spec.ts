// SPEC §4 end to end, in two browsers: Ada copies her access link, Uma opens
// it signed out, signs in on the page, approves and grants Umbrella Labs; Ada then sees
// the new client and a notification. A regenerated link's predecessor is
// invalid, and an app partner cannot issue links.
import { expect, resetDemoData, signIn, test } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

test('a client approves a partner employee\'s access link and picks the account', async ({ browser, page }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('button', { name: 'Get access link' }).click();
  const dialog = page.getByRole('dialog', { name: 'Your access link' });
  const field = dialog.getByLabel('Access link');
  await expect(field).toHaveValue(/\/access\/[A-Za-z0-9_-]{43}$/);
  const link = await field.inputValue();
  await dialog.getByRole('button', { name: 'Copy link' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Uma, in her own browser, opens the link signed out.
  const uma = await (await browser.newContext()).newPage();
  const wasm: string[] = [];
  uma.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
  });
  await uma.goto(link);
  await expect(uma.getByRole('heading', { name: 'Ada Lovelace from Northwind Digital asks for access' })).toBeVisible();
  // She signs in on the page itself.
  await expect(uma.getByRole('heading', { name: 'Sign in to respond' })).toBeVisible();
  await uma.getByLabel('Email').fill('uma@umbrella.example');
  await uma.getByLabel('Password').fill('demo-password');
  await uma.getByRole('button', { name: 'Sign in' }).click();
  await expect(uma).toHaveURL(link);
  await expect(uma.getByRole('table', { name: 'Super admin compared with Partner Admin' })).toBeVisible();
  await uma.getByRole('button', { name: 'Approve' }).click();
  const accounts = uma.getByRole('group', { name: 'Account' });
  await expect(accounts.getByRole('radio')).toHaveCount(2);
  await accounts.getByLabel('Umbrella Labs').check();
  await uma.getByRole('button', { name: 'Grant access' }).click();
  await expect(uma.getByRole('heading', { level: 1, name: 'Access granted' })).toBeVisible();
  await expect(uma.getByRole('status').filter({ hasText: 'is now a Partner Admin' })).toContainText(
    'Ada Lovelace is now a Partner Admin in Umbrella Labs.',
  );
  // The whole journey ran on the access page's own small entry point.
  expect(wasm.length).toBeGreaterThan(0);
  for (const path of wasm) expect(path).toMatch(/^\/access-[0-9a-f]+_bg\.wasm$/);

  // Ada reloads Client Access Manager: the new client, her access, the notification.
  await page.reload();
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('umbrella');
  await expect(page.getByText('1 result', { exact: true })).toBeVisible();
  const row = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Umbrella Labs' });
  await expect(row).toContainText('Partner Admin');
  await expect(row).toContainText('Managed');
  await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
  await expect(page.getByRole('group', { name: 'Notifications' })).toContainText('Umbrella Labs approved your access link');
});

test('after Regenerate link the old link shows the invalid page', async ({ browser, page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('tab', { name: 'Employees' }).click();
  await page.getByRole('table', { name: 'Employees' }).getByRole('link', { name: 'Dan Reyes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dan Reyes' })).toBeVisible();
  await page.getByRole('button', { name: 'Actions for Dan Reyes' }).click();
  await page.getByRole('menuitem', { name: 'Copy access link' }).click();
  const dialog = page.getByRole('dialog', { name: 'Access link for Dan Reyes' });
  const field = dialog.getByLabel('Access link');
  await expect(field).toHaveValue(/\/access\//);
  const old = await field.inputValue();

  await dialog.getByRole('button', { name: 'Regenerate link' }).click();
  await dialog.getByRole('group', { name: 'Regenerate link' }).getByRole('button', { name: 'Regenerate link' }).click();
  await expect(field).not.toHaveValue(old);
  const fresh = await field.inputValue();

  const client = await (await browser.newContext()).newPage();
  await client.goto(old);
  await expect(client.getByRole('alert').getByRole('heading', { name: 'This link is not valid' })).toBeVisible();
  await client.goto(fresh);
  await expect(client.getByRole('heading', { name: 'Dan Reyes from Northwind Digital asks for access' })).toBeVisible();
});

test("Bo's app partner account cannot issue an access link, and says why", async ({ page }) => {
  await signIn(page, 'bo@bluebird.example');
  const button = page.getByRole('button', { name: 'Get access link' });
  await expect(button).toBeDisabled();
  await expect(page.getByText('Only Solutions Partners and Providers can become Partner Admins')).toBeVisible();
});

test('a client without an account they may grant is told why', async ({ browser, page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('button', { name: 'Get access link' }).click();
  const link = await page.getByRole('dialog').getByLabel('Access link').inputValue();
  const cleo = await (await browser.newContext()).newPage();
  await cleo.goto('/sign-in');
  await signIn(cleo, 'cleo@northwind.example');
  await cleo.goto(link);
  await cleo.getByRole('button', { name: 'Approve' }).click();
  await expect(cleo.getByRole('alert')).toContainText('super admin or have the Add and edit users permission');
});

test('a client declines an access link with a reason; the employee is told and nothing is granted', async ({ browser, page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('button', { name: 'Get access link' }).click();
  const link = await page.getByRole('dialog', { name: 'Your access link' }).getByLabel('Access link').inputValue();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

  const uma = await (await browser.newContext()).newPage();
  await uma.goto(link);
  await uma.getByLabel('Email').fill('uma@umbrella.example');
  await uma.getByLabel('Password').fill('demo-password');
  await uma.getByRole('button', { name: 'Sign in' }).click();
  await expect(uma.getByText(/^Signed in as Uma .* · Not you\?$/)).toBeVisible();
  await uma.getByRole('button', { name: 'Decline' }).click();
  await uma.getByLabel('Reason for the employee (optional)').fill('We work with another agency.');
  await expect(uma.getByText('Ada Lovelace is told by email and in the app that you declined. Nobody is given access.')).toBeVisible();
  await uma.getByRole('button', { name: 'Decline request' }).click();
  await expect(uma.getByRole('heading', { level: 1, name: 'Request declined' })).toBeVisible();
  await expect(uma.getByRole('status')).toContainText('Ada Lovelace has been told that you declined.');

  // Ada is told, with the reason; no client was added.
  await page.reload();
  await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
  const told = page.getByRole('group', { name: 'Notifications' });
  await expect(told).toContainText('declined your access link');
  await expect(told).toContainText('We work with another agency.');
  await page.keyboard.press('Escape');
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('umbrella');
  await expect(page.getByText('0 results', { exact: true })).toBeVisible();

  // "Not you?" signs out on the page itself.
  await uma.goto(link);
  await uma.getByRole('button', { name: 'Not you?' }).click();
  await expect(uma.getByRole('heading', { name: 'Sign in to respond' })).toBeVisible();
});
