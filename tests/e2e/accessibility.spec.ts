// Accessibility, measured (WCAG 2.1 AA by axe-core): every screen, and every
// dialog, menu and wizard step while it is open, in English and in Finnish.
// No serious or critical violation is allowed. Controls are found by their
// names in the language's own catalogue (locales/<tag>.json).
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'fs';
import * as path from 'path';
import { expect, PASSWORD, resetDemoData, test } from './helpers';
import type { Browser, Page } from '@playwright/test';

test.beforeEach(async ({ request }) => resetDemoData(request));
// A control that is not there fails fast, not at the end of the sweep.
test.use({ actionTimeout: 10_000 });

type Texts = Record<string, string>;

function texts(tag: string): Texts {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'locales', `${tag}.json`), 'utf8'));
}

/** A catalogue text with its parameters filled in. */
function fill(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name) => params[name] ?? '');
}

class Sweep {
  readonly found: string[] = [];
  checked = 0;

  async check(page: Page, what: string) {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    this.checked += 1;
    for (const v of result.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
        this.found.push(`${what}: ${v.id} (${v.impact}) at ${where}`);
      }
    }
  }
}

async function signIn(page: Page, T: Texts, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel(T.email, { exact: true }).fill(email);
  await page.getByLabel(T.password, { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: T.sign_in, exact: true }).click();
  await expect(page.getByRole('button', { name: T.sign_out })).toBeVisible();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in') && url.pathname !== '/');
}

async function rowActions(page: Page, T: Texts, table: string, name: string) {
  const row = page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: name }).first();
  await row.hover();
  await row.getByRole('button', { name: fill(T.actions_for, { name }) }).click();
}

async function newPage(browser: Browser, locale: string): Promise<Page> {
  return (await browser.newContext({ locale })).newPage();
}

for (const [locale, tag] of [
  ['en-US', 'en'],
  ['fi-FI', 'fi'],
] as const) {
  const T = texts(tag);

  test(`${tag}: the partner's screens, dialogs, menus and wizard steps have no serious violations`, async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const sweep = new Sweep();
    const page = await newPage(browser, locale);
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { name: T.sign_in_title })).toBeVisible();
    await sweep.check(page, 'sign-in');
    await page.getByLabel(T.email, { exact: true }).fill('not an address');
    await page.getByRole('button', { name: T.sign_in, exact: true }).click();
    // The error stands at the field: the input is marked invalid and described by it.
    await expect(page.getByLabel(T.email, { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#email-error')).not.toBeEmpty();
    await sweep.check(page, 'sign-in with an error');

    await signIn(page, T, 'ada@northwind.example');
    await expect(page.getByRole('table', { name: T.tab_clients })).toBeVisible();
    await sweep.check(page, 'Clients tab');
    await page.getByRole('button', { name: new RegExp(`^${T.access_types}`) }).click();
    await sweep.check(page, 'Access types filter open');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: new RegExp(`^${T.switch_account}`) }).click();
    await sweep.check(page, 'account switcher open');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: new RegExp(`^${T.notifications}`) }).click();
    await sweep.check(page, 'notifications open');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: T.get_access_link }).click();
    const link = page.getByRole('dialog', { name: T.your_access_link });
    await expect(link.getByLabel(T.access_link_label)).toHaveValue(/\/access\//);
    await sweep.check(page, 'access link dialog');
    await link.getByRole('button', { name: T.regenerate_link }).click();
    await sweep.check(page, 'regenerate confirmation');
    await link.getByRole('button', { name: T.close }).click();

    await rowActions(page, T, T.tab_clients, 'Acme Corp');
    await sweep.check(page, 'client actions menu');
    await page.getByRole('menuitem', { name: T.add_employees }).click();
    const panel = page.getByRole('dialog', { name: fill(T.add_employees_to, { client: 'Acme Corp' }) });
    await expect(panel).toBeVisible();
    await sweep.check(page, 'Add employees panel');
    await panel.getByRole('button', { name: new RegExp(`^${T.employees_label}`) }).click();
    await panel.getByRole('group', { name: T.employees_label }).getByLabel('Dan Reyes').check();
    await sweep.check(page, 'Add employees: employee picker open');
    await page.keyboard.press('Escape');
    await expect(panel.getByRole('listitem').filter({ hasText: 'Dan Reyes' })).toBeVisible();
    await sweep.check(page, 'Add employees with a preview');
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();

    await page.getByRole('searchbox', { name: T.search_clients }).fill('globex');
    await expect(page.getByText(fill(T.results_one, { count: '1' }), { exact: true })).toBeVisible();
    await rowActions(page, T, T.tab_clients, 'Globex');
    await page.getByRole('menuitem', { name: T.change_to_partner_admin }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await sweep.check(page, 'Change to Partner Admin dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('searchbox', { name: T.search_clients }).fill('acme');
    await expect(page.getByText(fill(T.results_one, { count: '1' }), { exact: true })).toBeVisible();
    await page.getByRole('table', { name: T.tab_clients }).getByRole('link', { name: 'Acme Corp' }).click();
    const team = page.getByRole('table', { name: T.partner_employees_heading });
    await expect(team).toBeVisible();
    await sweep.check(page, 'client details');
    await rowActions(page, T, T.partner_employees_heading, 'Cleo Park');
    await page.getByRole('menuitem', { name: T.change_permission_set }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await sweep.check(page, 'Change permission set dialog');
    await page.keyboard.press('Escape');
    await team.getByRole('checkbox', { name: T.select_all }).check();
    await page.getByRole('button', { name: T.remove_partner_employee }).click();
    await expect(page.getByRole('dialog', { name: T.remove_partner_employee })).toBeVisible();
    await sweep.check(page, 'Remove partner employee review');
    await page.keyboard.press('Escape');

    await page.goBack();
    await page.getByRole('tab', { name: T.tab_employees }).click();
    await expect(page.getByRole('table', { name: T.tab_employees })).toBeVisible();
    await sweep.check(page, 'Employees tab');
    await rowActions(page, T, T.tab_employees, 'Eve Sousa');
    await sweep.check(page, 'employee actions menu');
    await page.getByRole('menuitem', { name: T.link_clients }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await sweep.check(page, 'Link clients dialog');
    await page.keyboard.press('Escape');
    await rowActions(page, T, T.tab_employees, 'Cleo Park');
    await page.getByRole('menuitem', { name: T.remove_from_clients }).click();
    const wizard = page.getByRole('dialog', { name: fill(T.remove_from_clients_for, { name: 'Cleo Park' }) });
    await expect(wizard.getByRole('checkbox').first()).toBeVisible();
    await sweep.check(page, 'Remove from clients, step 1');
    await wizard.getByRole('checkbox').first().check();
    await wizard.getByRole('button', { name: T.next }).click();
    await expect(wizard.getByText(fill(T.step_of, { step: '2', steps: '2' }))).toBeVisible();
    await sweep.check(page, 'Remove from clients, step 2');
    await page.keyboard.press('Escape');

    await page.getByRole('table', { name: T.tab_employees }).getByRole('link', { name: 'Dan Reyes' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dan Reyes' })).toBeVisible();
    await sweep.check(page, 'employee page');
    await page.getByRole('button', { name: fill(T.actions_for, { name: 'Dan Reyes' }) }).click();
    await sweep.check(page, 'employee page actions menu');
    await page.keyboard.press('Escape');

    await page.goBack();
    await page.getByRole('tab', { name: T.tab_history }).click();
    await expect(page.getByRole('table')).toBeVisible();
    await sweep.check(page, 'partner history');

    // R17: the Access review, its review step, Coverage, Bulk work, Add to clients.
    await page.getByRole('tab', { name: T.tab_review }).click();
    const review = page.getByRole('table', { name: T.tab_review });
    await expect(review.getByRole('row').nth(1)).toBeVisible();
    await sweep.check(page, 'Access review');
    await review.getByRole('checkbox').nth(1).check();
    await page.getByRole('button', { name: T.remove, exact: true }).click();
    await expect(page.getByRole('dialog').getByRole('table')).toBeVisible();
    await sweep.check(page, 'Access review: review step');
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: T.tab_coverage }).click();
    await expect(page.getByRole('table', { name: T.tab_coverage })).toBeVisible();
    await sweep.check(page, 'Coverage');
    await page.getByRole('tab', { name: T.tab_review }).click();
    await page.getByRole('link', { name: T.bulk_work }).click();
    await expect(page.getByRole('heading', { level: 1, name: T.bulk_work })).toBeVisible();
    await sweep.check(page, 'Bulk work');
    await page.goBack();
    await page.getByRole('tab', { name: T.tab_employees }).click();
    const dan = page.getByRole('table', { name: T.tab_employees }).getByRole('row').filter({ hasText: 'Dan Reyes' });
    await dan.hover();
    await dan.getByRole('button', { name: fill(T.actions_for, { name: 'Dan Reyes' }) }).click();
    await page.getByRole('menuitem', { name: T.add_to_clients }).click();
    await expect(page.getByRole('table', { name: T.step_choose_clients })).toBeVisible();
    await sweep.check(page, 'Add to clients');

    await page.goto('/accounts/999999/client-access-manager/clients');
    await expect(page.getByRole('heading', { name: T.not_found_title })).toBeVisible();
    await sweep.check(page, 'not found');

    // The access-link page, signed out and then signed in as the client.
    await page.goto('/');
    await page.getByRole('button', { name: T.get_access_link }).click();
    const url = await page.getByRole('dialog').getByLabel(T.access_link_label).inputValue();
    const client = await newPage(browser, locale);
    await client.goto(url);
    await expect(client.getByRole('heading', { name: T.sign_in_to_respond })).toBeVisible();
    await sweep.check(client, 'access-link page, signed out');
    await client.getByLabel(T.email, { exact: true }).fill('uma@umbrella.example');
    await client.getByLabel(T.password, { exact: true }).fill(PASSWORD);
    await client.getByRole('button', { name: T.sign_in, exact: true }).click();
    await expect(client.getByRole('button', { name: T.approve })).toBeVisible();
    await sweep.check(client, 'access-link page, review');
    await client.getByRole('button', { name: T.approve }).click();
    await expect(client.getByRole('group', { name: T.account })).toBeVisible();
    await sweep.check(client, 'access-link page, choose the account');
    await client.getByRole('group', { name: T.account }).getByLabel('Umbrella Labs').check();
    // The permissions are folded until asked for.
    await expect(client.getByRole('group', { name: T.permissions_to_grant })).toBeHidden();
    await client.locator('.narrow-details summary').click();
    await expect(client.getByRole('group', { name: T.permissions_to_grant })).toBeVisible();
    await client.getByLabel(T.access_ends, { exact: true }).selectOption('date');
    await sweep.check(client, 'access-link page, permissions to grant and end date');
    await client.getByLabel(T.access_ends, { exact: true }).selectOption('none');
    await client.getByRole('button', { name: T.grant_access }).click();
    await expect(client.getByRole('heading', { level: 1, name: T.granted_title })).toBeVisible();
    await sweep.check(client, 'access-link page, granted');

    // A partner employee without Client Access Manager.
    const cleo = await newPage(browser, locale);
    await signIn(cleo, T, 'cleo@northwind.example').catch(() => undefined);
    await cleo.goto('/');
    await expect(cleo.getByRole('main')).toBeVisible();
    await sweep.check(cleo, 'account home without Client Access Manager');

    expect(sweep.checked).toBeGreaterThan(25);
    expect(sweep.found, sweep.found.join('\n')).toEqual([]);
  });

  test(`${tag}: the client's settings, Users & Teams and assets have no serious violations`, async ({ browser }) => {
    test.setTimeout(120_000);
    const sweep = new Sweep();
    const page = await newPage(browser, locale);
    await signIn(page, T, 'carol@acme.example');
    await expect(page.getByRole('table', { name: T.users_and_teams })).toBeVisible();
    await sweep.check(page, 'Users & Teams');
    await page.getByRole('button', { name: T.create_user }).click();
    const wizard = page.getByRole('dialog', { name: T.create_user });
    await expect(wizard).toBeVisible();
    await sweep.check(page, 'Create user, step 1');
    await wizard.getByLabel(T.email, { exact: true }).fill('new.person@acme.example');
    await wizard.getByRole('button', { name: T.next }).click();
    await expect(wizard.getByLabel(T.name_label)).toBeVisible();
    await sweep.check(page, 'Create user, step 2');
    await page.keyboard.press('Escape');
    await rowActions(page, T, T.users_and_teams, 'Eve Sousa');
    await sweep.check(page, 'user actions menu');
    await page.getByRole('menuitem', { name: T.edit_permissions }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await sweep.check(page, 'Edit permissions dialog');
    await page.getByRole('dialog').getByRole('button', { name: new RegExp(`^${T.add_permissions}`) }).click();
    await sweep.check(page, 'Edit permissions: permission picker open');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');

    const account = new URL(page.url()).pathname.split('/')[2];
    for (const [screen, address] of [
      ['history', 'settings/history'],
      ['super admins', 'settings/super-admins'],
      ['billing', 'settings/billing'],
      ['SCIM', 'settings/scim'],
      ['data centre', 'settings/data-centre'],
      ['assets', 'assets'],
    ]) {
      await page.goto(`/accounts/${account}/${address}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByRole('main').getByText(T.loading)).toHaveCount(0);
      await sweep.check(page, screen);
    }
    await page.getByRole('button', { name: T.new_asset }).click();
    await expect(page.getByRole('dialog', { name: T.new_asset })).toBeVisible();
    await sweep.check(page, 'New asset dialog');
    await page.keyboard.press('Escape');
    await page.goto(`/accounts/${account}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await sweep.check(page, 'account home');
    // Settings > Partner access (R16) and its confirmation.
    await page.goto(`/accounts/${account}/settings/partner-access`);
    await expect(page.getByRole('heading', { level: 1, name: T.partner_access })).toBeVisible();
    await expect(page.getByRole('main').getByText(T.loading)).toHaveCount(0);
    await sweep.check(page, 'Partner access');
    await page.getByRole('button', { name: T.suspend_access }).first().click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await sweep.check(page, 'Suspend access dialog');
    await page.keyboard.press('Escape');

    expect(sweep.found, sweep.found.join('\n')).toEqual([]);
  });
}
