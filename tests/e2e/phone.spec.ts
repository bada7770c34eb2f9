// Every screen at a phone's size (390×844) and a laptop's (1366×768), in
// English, Finnish and Chinese: none scrolls sideways, every control a finger
// can reach is at least 44×44 px on the phone, and each screen is kept for
// review (test-results/shots/tour-<lang>-<screen>-<size>.png).
import * as fs from 'fs';
import * as path from 'path';
import { expect, PASSWORD, shot, test } from './helpers';
import type { Browser, Page } from '@playwright/test';

type Texts = Record<string, string>;
const texts = (tag: string): Texts =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'locales', `${tag}.json`), 'utf8'));

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };

/** Waits until nothing on the page is loading any more. */
async function settled(page: Page) {
  await expect(page.getByRole('main').or(page.locator('.auth-page')).first()).toBeVisible();
  await expect(page.locator('.loading')).toHaveCount(0, { timeout: 15_000 });
}

/** What scrolls sideways, and the controls smaller than a fingertip. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const wide = doc.scrollWidth - doc.clientWidth;
    const small: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('button, a[href], input, select, [role="tab"]'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue; // not shown
      if (el.closest('.visually-hidden, .skip-link')) continue;
      // Inline links inside running text are exempt (WCAG 2.5.8).
      if (el.tagName === 'A' && el.closest('p, li.bell-item, .breadcrumbs') && !el.classList.contains('btn')) continue;
      // A checkbox or radio counts with the label around it.
      const target = (el.tagName === 'INPUT' && el.closest('label')) || el;
      const t = target.getBoundingClientRect();
      if (t.height < 43.5 || t.width < 43.5) {
        small.push(`${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(t.width)}×${Math.round(t.height)}`);
      }
    }
    return { wide, small };
  });
}

class Tour {
  readonly problems: string[] = [];
  constructor(readonly tag: string) {}

  async look(page: Page, name: string) {
    await settled(page);
    for (const size of [PHONE, LAPTOP]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(50);
      const { wide, small } = await measure(page);
      if (wide > 0) this.problems.push(`${this.tag} ${name} ${size.width}px: scrolls ${wide}px sideways`);
      if (size === PHONE && small.length > 0) {
        this.problems.push(`${this.tag} ${name} 390px: small tap targets: ${small.slice(0, 4).join(', ')}`);
      }
      if (process.env.E2E_SHOTS) await shot(page, `tour-${this.tag}-${name}`);
    }
    await page.setViewportSize(PHONE);
  }
}

async function signIn(page: Page, T: Texts, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel(T.email, { exact: true }).fill(email);
  await page.getByLabel(T.password, { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: T.sign_in, exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in') && url.pathname !== '/');
}

async function context(browser: Browser, locale: string) {
  return browser.newContext({ locale, viewport: PHONE, hasTouch: true, isMobile: true });
}

for (const [locale, tag] of [
  ['en-US', 'en'],
  ['fi-FI', 'fi'],
  ['zh-CN', 'zh-CN'],
] as const) {
  test(`${tag}: no screen scrolls sideways on a phone, and tap targets are large enough`, async ({ browser, request }) => {
    // The layout does not depend on the backend; the SQLite run covers it.
    test.skip((process.env.E2E_DB ?? '').startsWith('postgres'), 'layout is checked once, on SQLite');
    test.setTimeout(240_000);
    expect((await request.post('/api/v1/test/reset')).status()).toBe(204);
    const T = texts(tag);
    const tour = new Tour(tag);

    const ctx = await context(browser, locale);
    const page = await ctx.newPage();
    await page.goto('/sign-in');
    await tour.look(page, 'sign-in');

    // Ada, a partner admin of Northwind: Client Access Manager and its tabs.
    await signIn(page, T, 'ada@northwind.example');
    const base = new URL(page.url()).pathname.replace(/\/clients$/, '');
    await tour.look(page, 'clients');
    for (const [name, address] of [
      ['employees', 'employees'],
      ['review', 'review'],
      ['coverage', 'coverage'],
      ['jobs', 'jobs'],
      ['cam-history', 'history'],
    ]) {
      await page.goto(`${base}/${address}`);
      await tour.look(page, name);
    }
    await page.goto(`${base}/clients`);
    await settled(page);
    const client = await page.getByRole('table', { name: T.tab_clients }).getByRole('link').first().getAttribute('href');
    await page.goto(client!);
    await tour.look(page, 'client-details');
    await page.goto(`${base}/employees`);
    await settled(page);
    const employee = await page.getByRole('table', { name: T.tab_employees }).getByRole('link', { name: 'Dan Reyes' }).getAttribute('href');
    await page.goto(employee!);
    await tour.look(page, 'employee');
    await page.goto(`${employee}/add-to-clients`);
    await tour.look(page, 'add-to-clients');
    const account = base.split('/')[2];
    for (const [name, address] of [
      ['users', 'settings/users'],
      ['settings-history', 'settings/history'],
      ['assets', 'assets'],
    ]) {
      await page.goto(`/accounts/${account}/${address}`);
      await tour.look(page, name);
    }
    await page.goto('/no/such/page');
    await tour.look(page, 'not-found');

    // Ada's access link, opened by Uma on her phone.
    await page.goto(`${base}/clients`);
    await settled(page);
    await page.getByRole('button', { name: T.get_access_link }).click();
    const link = await page.getByRole('dialog').getByLabel(T.access_link_label, { exact: true }).inputValue();
    await tour.look(page, 'access-link-dialog');
    const uma = await (await context(browser, locale)).newPage();
    await uma.goto(link);
    await tour.look(uma, 'access-signed-out');
    await uma.getByLabel(T.email, { exact: true }).fill('uma@umbrella.example');
    await uma.getByLabel(T.password, { exact: true }).fill(PASSWORD);
    await uma.getByRole('button', { name: T.sign_in, exact: true }).click();
    await expect(uma.getByRole('button', { name: T.approve, exact: true })).toBeVisible();
    await tour.look(uma, 'access-approve');

    // Carol, a super admin of Acme: the client's settings.
    const carol = await (await context(browser, locale)).newPage();
    await signIn(carol, T, 'carol@acme.example');
    const acme = new URL(carol.url()).pathname.split('/')[2];
    for (const [name, address] of [
      ['acme-home', ''],
      ['acme-users', 'settings/users'],
      ['acme-partner-access', 'settings/partner-access'],
      ['acme-partner-terms', `settings/partner-access/${account}`],
      ['acme-assets', 'assets'],
      ['acme-super-admins', 'settings/super-admins'],
      ['acme-billing', 'settings/billing'],
      ['acme-history', 'settings/history'],
    ]) {
      await carol.goto(`/accounts/${acme}/${address}`);
      await tour.look(carol, name);
    }

    expect(tour.problems, 'screens that do not fit a phone').toEqual([]);
  });
}

// A touch-only journey on a phone: nothing is hovered, everything is tapped.
test('on a phone, by touch only: Uma approves a link narrowing two permissions; Ada adds Dan to a client and removes him from two', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  expect((await request.post('/api/v1/test/reset')).status()).toBe(204);
  const T = texts('en');
  const ada = await (await context(browser, 'en-US')).newPage();
  await signIn(ada, T, 'ada@northwind.example');
  await ada.getByRole('button', { name: 'Get access link' }).tap();
  const link = await ada.getByRole('dialog').getByLabel('Access link', { exact: true }).inputValue();
  await ada.getByRole('dialog').getByRole('button', { name: 'Close' }).tap();

  // Uma, on her phone, from the email.
  const uma = await (await context(browser, 'en-US')).newPage();
  await uma.goto(link);
  await uma.getByLabel('Email').fill('uma@umbrella.example');
  await uma.getByLabel('Password').fill(PASSWORD);
  await uma.getByRole('button', { name: 'Sign in' }).tap();
  await expect(uma.getByText(/^Signed in as Uma/)).toBeVisible();
  await expect(uma.getByRole('button', { name: 'Decline' })).toBeVisible();
  await uma.getByRole('button', { name: 'Approve' }).tap();
  await expect(uma.getByText(/^Signed in as Uma/)).toBeVisible();
  await uma.getByRole('group', { name: 'Account' }).getByText('Umbrella Labs').tap();
  const sentence = uma.locator('.consequence');
  const all = /^Ada Lovelace gets (\d+) of (\d+) Partner Admin permissions in Umbrella Labs, with no end date\.$/;
  await expect(sentence).toHaveText(all);
  const [, given, total] = (await sentence.innerText()).match(all)!;
  expect(given).toBe(total); // a super admin holds the whole set
  // The permissions are folded until asked for.
  await expect(uma.getByRole('checkbox', { name: 'Delete deals' })).toBeHidden();
  await uma.getByText(/^Permissions: \d+ of \d+ chosen$/).tap();
  await uma.getByRole('checkbox', { name: 'Delete deals' }).tap();
  await uma.getByRole('checkbox', { name: 'Delete contacts' }).tap();
  await expect(sentence).toHaveText(`Ada Lovelace gets ${Number(total) - 2} of ${total} Partner Admin permissions in Umbrella Labs, with no end date.`);
  await uma.getByRole('button', { name: 'Grant access' }).tap();
  await expect(uma.getByRole('heading', { level: 1, name: 'Access granted' })).toBeVisible();
  await expect(uma.getByRole('link', { name: 'Open Partner access' })).toBeVisible();
  await shot(uma, 'touch-approved');

  // Ada adds Dan to Acme Corp from the Clients tab: the row's actions are always shown.
  await ada.getByRole('searchbox', { name: 'Search clients' }).fill('acme');
  await expect(ada.getByText('1 result', { exact: true })).toBeVisible();
  const acme = ada.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Acme Corp' });
  await acme.getByRole('button', { name: 'Actions for Acme Corp' }).tap();
  await ada.getByRole('menuitem', { name: 'Add employees' }).tap();
  const panel = ada.getByRole('dialog', { name: 'Add employees to Acme Corp' });
  await panel.getByRole('button', { name: /^Employees/ }).tap();
  await panel.getByRole('group', { name: 'Employees' }).getByText('Dan Reyes').tap();
  // A tap outside the open list (on the panel's heading) closes it.
  const heading = await panel.getByRole('heading', { name: 'Add employees to Acme Corp' }).boundingBox();
  await ada.touchscreen.tap(heading!.x + 10, heading!.y + heading!.height / 2);
  await expect(panel.getByRole('group', { name: 'Employees' })).toBeHidden();
  await panel.getByRole('button', { name: 'Add employees' }).tap();
  await expect(ada.getByRole('status').getByText('1 employee added.')).toBeVisible();

  // …and removes him from two clients.
  await ada.getByRole('tab', { name: 'Employees' }).tap();
  const dan = ada.getByRole('table', { name: 'Employees' }).getByRole('row').filter({ hasText: 'Dan Reyes' });
  await dan.getByRole('button', { name: 'Actions for Dan Reyes' }).tap();
  await ada.getByRole('menuitem', { name: 'Remove employee from clients' }).tap();
  const wizard = ada.getByRole('dialog', { name: 'Remove Dan Reyes from clients' });
  const boxes = wizard.getByRole('checkbox');
  await wizard.getByText('Acme Corp', { exact: true }).tap();
  const other = wizard.locator('label.choice').filter({ hasNotText: 'Acme Corp' }).first();
  const otherName = (await other.locator('.choice-title').innerText()).trim();
  await other.locator('.choice-title').tap();
  await expect(wizard.getByText('2 clients chosen')).toBeVisible();
  expect(await boxes.count()).toBeGreaterThan(1);
  await wizard.getByRole('button', { name: 'Next' }).tap();
  await expect(wizard.locator('.consequence')).toContainText('Dan Reyes loses access to');
  await expect(wizard.locator('.consequence')).toContainText('Acme Corp');
  await expect(wizard.locator('.consequence')).toContainText(otherName);
  await wizard.getByRole('button', { name: 'Done' }).tap();
  await expect(ada.getByRole('status').getByText(/^Dan Reyes removed from /)).toBeVisible();
  // Read back: Dan is in neither client any more.
  await ada.getByRole('tab', { name: 'Clients' }).tap();
  await ada.getByRole('searchbox', { name: 'Search clients' }).fill('acme');
  await ada.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme Corp' }).tap();
  await expect(ada.getByRole('table', { name: 'Partner employees' })).not.toContainText('Dan Reyes');
});
