// Screenshots of every screen (and the main dialogs) in one language, for a
// person to look at: long Finnish and Polish words, CJK text.
// Usage: node scripts/screenshots.mjs <base-url> <locale> <out-dir>
//   e.g. node scripts/screenshots.mjs http://127.0.0.1:8080 fi-FI /tmp/shots-fi
// Needs a running server with the demo data (scripts/run.sh).
import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';

const [base, locale, out] = process.argv.slice(2);
if (!base || !locale || !out) {
  console.error('usage: node scripts/screenshots.mjs <base-url> <locale> <out-dir>');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const tag = locale.startsWith('zh') ? 'zh-CN' : locale.split('-')[0];
const T = JSON.parse(readFileSync(new URL(`../locales/${tag}.json`, import.meta.url), 'utf8'));
const fill = (s, p = {}) => s.replace(/\{\{(\w+)\}\}/g, (_, n) => p[n] ?? '');

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
let n = 0;
async function shot(page, name) {
  await page.waitForTimeout(250);
  n += 1;
  await page.screenshot({ path: `${out}/${String(n).padStart(2, '0')}-${name}.png`, fullPage: false });
}
async function session(email) {
  const page = await (await browser.newContext({ locale, viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(`${base}/sign-in`);
  if (!email) return page;
  await page.getByLabel(T.email, { exact: true }).fill(email);
  await page.getByLabel(T.password, { exact: true }).fill('demo-password');
  await page.getByRole('button', { name: T.sign_in, exact: true }).click();
  await page.getByRole('button', { name: T.sign_out }).waitFor();
  return page;
}
async function actions(page, table, name) {
  const row = page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: name }).first();
  await row.hover();
  await row.getByRole('button', { name: fill(T.actions_for, { name }) }).click();
}

const signedOut = await session(null);
await shot(signedOut, 'sign-in');

const ada = await session('ada@northwind.example');
await ada.getByRole('table', { name: T.tab_clients }).waitFor();
await shot(ada, 'clients');
await actions(ada, T.tab_clients, 'Acme Corp');
await shot(ada, 'clients-actions-menu');
await ada.getByRole('menuitem', { name: T.add_employees }).click();
const panel = ada.getByRole('dialog');
await panel.getByRole('button', { name: new RegExp(`^${T.employees_label}`) }).click();
await panel.getByRole('group', { name: T.employees_label }).getByLabel('Dan Reyes').check();
await ada.keyboard.press('Escape');
await panel.getByLabel(T.permission_set).selectOption('sales');
await shot(ada, 'add-employees');
await ada.keyboard.press('Escape');
await ada.getByRole('button', { name: T.get_access_link }).click();
await shot(ada, 'access-link');
await ada.keyboard.press('Escape');
await ada.getByRole('searchbox', { name: T.search_clients }).fill('globex');
await ada.waitForTimeout(600);
await actions(ada, T.tab_clients, 'Globex');
await ada.getByRole('menuitem', { name: T.change_to_partner_admin }).click();
await shot(ada, 'change-to-partner-admin');
await ada.keyboard.press('Escape');
await ada.getByRole('searchbox', { name: T.search_clients }).fill('acme');
await ada.waitForTimeout(600);
await ada.getByRole('table', { name: T.tab_clients }).getByRole('link', { name: 'Acme Corp' }).click();
await ada.getByRole('table', { name: T.partner_employees_heading }).waitFor();
await shot(ada, 'client-details');
await actions(ada, T.partner_employees_heading, 'Cleo Park');
await ada.getByRole('menuitem', { name: T.change_permission_set }).click();
await shot(ada, 'change-permission-set');
await ada.keyboard.press('Escape');
await ada.goBack();
await ada.getByRole('tab', { name: T.tab_employees }).click();
await ada.getByRole('table', { name: T.tab_employees }).waitFor();
await shot(ada, 'employees');
await actions(ada, T.tab_employees, 'Cleo Park');
await ada.getByRole('menuitem', { name: T.remove_from_clients }).click();
const wizard = ada.getByRole('dialog');
await wizard.getByRole('checkbox').first().check();
await wizard.getByRole('checkbox').nth(1).check();
await shot(ada, 'remove-from-clients-1');
await wizard.getByRole('button', { name: T.next }).click();
await shot(ada, 'remove-from-clients-2');
await ada.keyboard.press('Escape');
await ada.getByRole('table', { name: T.tab_employees }).getByRole('link', { name: 'Dan Reyes' }).click();
await ada.getByRole('heading', { level: 1, name: 'Dan Reyes' }).waitFor();
await shot(ada, 'employee');
await ada.goBack();
await ada.getByRole('tab', { name: T.tab_history }).click();
await ada.getByRole('table').waitFor();
await shot(ada, 'cam-history');
await ada.getByRole('button', { name: new RegExp(`^${T.notifications}`) }).click();
await shot(ada, 'notifications');
await ada.keyboard.press('Escape');
await ada.goto(`${base}/accounts/999999/client-access-manager/clients`);
await shot(ada, 'not-found');

const carol = await session('carol@acme.example');
await carol.getByRole('table', { name: T.users_and_teams }).waitFor();
await shot(carol, 'users-and-teams');
await carol.getByRole('button', { name: T.create_user }).click();
await shot(carol, 'create-user');
await carol.keyboard.press('Escape');
await actions(carol, T.users_and_teams, 'Eve Sousa');
await carol.getByRole('menuitem', { name: T.edit_permissions }).click();
await shot(carol, 'edit-permissions');
await carol.keyboard.press('Escape');
const account = new URL(carol.url()).pathname.split('/')[2];
for (const [name, address] of [
  ['history', 'settings/history'],
  ['super-admins', 'settings/super-admins'],
  ['billing', 'settings/billing'],
  ['scim', 'settings/scim'],
  ['data-centre', 'settings/data-centre'],
  ['assets', 'assets'],
]) {
  await carol.goto(`${base}/accounts/${account}/${address}`);
  await carol.getByRole('heading', { level: 1 }).waitFor();
  await carol.waitForTimeout(400);
  await shot(carol, name);
}

// The access-link page, as the client sees it.
await ada.goto(`${base}/`);
await ada.getByRole('button', { name: T.get_access_link }).click();
const link = await ada.getByRole('dialog').getByLabel(T.access_link_label).inputValue();
const uma = await session('uma@umbrella.example');
await uma.goto(link);
await uma.getByRole('button', { name: T.approve }).waitFor();
await shot(uma, 'access-review');
await uma.getByRole('button', { name: T.approve }).click();
await uma.getByRole('group', { name: T.account }).waitFor();
await shot(uma, 'access-choose');
const fresh = await session(null);
await fresh.goto(link);
await fresh.getByRole('heading', { name: T.sign_in_to_respond }).waitFor();
await shot(fresh, 'access-signed-out');

await browser.close();
console.log(`${n} screenshots in ${out}`);
