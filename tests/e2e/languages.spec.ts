// The product in Finnish, Polish and Simplified Chinese, in browsers started
// with that locale (SPEC §7): sign-in, the Clients tab, dialogs with plural
// forms, dates by the browser's Intl, and the access-link approval; the
// language menu on every screen, remembered per user on the server.
import * as fs from 'fs';
import * as path from 'path';
import { expect, PASSWORD, resetDemoData, test } from './helpers';
import type { Browser, Page } from '@playwright/test';

test.beforeEach(async ({ request }) => resetDemoData(request));

async function pageIn(browser: Browser, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale });
  return context.newPage();
}

/** A language's catalogue, for finding controls by their names in it. */
function texts(tag: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'locales', `${tag}.json`), 'utf8'));
}

/** Signs in on the sign-in page with its labels in the page's language. */
async function signInAs(page: Page, email: string, labels: { email: string; password: string; button: string }) {
  await page.getByLabel(labels.email, { exact: true }).fill(email);
  await page.getByLabel(labels.password, { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: labels.button, exact: true }).click();
}

test('Finnish: sign-in, the Clients tab with Finnish dates, and removing from clients with counts', async ({ browser }) => {
  const page = await pageIn(browser, 'fi-FI');
  await page.goto('/sign-in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fi');
  await expect(page.getByRole('heading', { name: 'Kirjaudu sisään' })).toBeVisible();
  await signInAs(page, 'ada@northwind.example', { email: 'Sähköposti', password: 'Salasana', button: 'Kirjaudu sisään' });
  await expect(page.getByRole('button', { name: 'Kirjaudu ulos' })).toBeVisible();

  // The Clients tab, its search and its count.
  await expect(page.getByRole('tab', { name: 'Asiakkaat' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('searchbox', { name: 'Hae asiakkaita' }).fill('acme');
  await expect(page.getByText('1 tulos', { exact: true })).toBeVisible();
  const acme = page.getByRole('table', { name: 'Asiakkaat' }).getByRole('row').filter({ hasText: 'Acme Corp' });
  await expect(acme).toContainText('Kumppanin ylläpitäjä');
  await expect(acme).toContainText('Hallinnoitu');

  // A date as Finnish writes it (day.month.year), by the browser's Intl.
  await acme.getByRole('link', { name: 'Acme Corp' }).click();
  const last = page.getByRole('definition').filter({ hasText: /\d/ }).first();
  await expect(last).toHaveText(/^\d{1,2}\.\d{1,2}\.\d{4}$/);

  // Remove employee from clients: the review names the count.
  await page.goto('/');
  await page.getByRole('tab', { name: 'Työntekijät' }).click();
  const cleo = page.getByRole('table', { name: 'Työntekijät' }).getByRole('row').filter({ hasText: 'Cleo Park' });
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Toiminnot: Cleo Park' }).click();
  await page.getByRole('menuitem', { name: 'Poista työntekijä asiakkaista' }).click();
  const wizard = page.getByRole('dialog', { name: 'Poista Cleo Park asiakkaista' });
  await expect(wizard.getByText('Vaihe 1/2')).toBeVisible();
  const boxes = wizard.getByRole('group', { name: 'Valitse asiakkaat' }).getByRole('checkbox');
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await expect(wizard.getByText('2 asiakasta valittu')).toBeVisible();
  await wizard.getByRole('button', { name: 'Seuraava' }).click();
  // Right above Done, the sentence names the employee and both clients.
  await expect(wizard.getByText(/^Cleo Park menettää pääsyn: [^:]+ ja [^:]+\./)).toBeVisible();
  await wizard.getByRole('button', { name: 'Valmis' }).click();
  await expect(page.getByRole('status').getByText(/^Cleo Park poistettu: [^:]+ ja [^:]+\.$/)).toBeVisible();
});

test('Polish: every plural form where counts are shown', async ({ browser }) => {
  const page = await pageIn(browser, 'pl-PL');
  await page.goto('/sign-in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'pl');
  await expect(page).toHaveTitle('Menedżer dostępu klienta');
  await signInAs(page, 'ada@northwind.example', { email: 'E-mail', password: 'Hasło', button: 'Zaloguj się' });
  await expect(page.getByRole('tab', { name: 'Klienci' })).toHaveAttribute('aria-selected', 'true');

  // Add employees: 10 permissions is the "many" form (uprawnień).
  const row = page.getByRole('table', { name: 'Klienci' }).getByRole('row').filter({ hasText: 'Acme Corp' });
  await row.hover();
  await row.getByRole('button', { name: 'Działania: Acme Corp' }).click();
  await page.getByRole('menuitem', { name: 'Dodaj pracowników' }).click();
  const panel = page.getByRole('dialog', { name: 'Dodaj pracowników do klienta Acme Corp' });
  await panel.getByRole('button', { name: /^Pracownicy/ }).click();
  await panel.getByRole('group', { name: 'Pracownicy' }).getByLabel('Dan Reyes').check();
  await page.keyboard.press('Escape');
  await panel.getByLabel('Zestaw uprawnień').selectOption('sales');
  await expect(panel.getByRole('listitem').filter({ hasText: 'Dan Reyes' })).toContainText('Otrzyma 10 uprawnień');
  await panel.getByRole('button', { name: 'Dodaj pracowników' }).click();
  await expect(page.getByRole('status').getByText('Dodano 1 pracownika.')).toBeVisible();

  // Remove from clients: 1 klienta (one), 2 klientów (few), 5 klientów (many).
  await page.getByRole('tab', { name: 'Pracownicy' }).click();
  const cleo = page.getByRole('table', { name: 'Pracownicy' }).getByRole('row').filter({ hasText: 'Cleo Park' });
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Działania: Cleo Park' }).click();
  await page.getByRole('menuitem', { name: 'Usuń pracownika z klientów' }).click();
  const wizard = page.getByRole('dialog', { name: 'Usuń użytkownika Cleo Park z klientów' });
  const boxes = wizard.getByRole('group', { name: 'Wybierz klientów' }).getByRole('checkbox');
  // The count of chosen clients under the list: one, few and many.
  for (const [count, text] of [
    [1, 'Wybrano 1 klienta'],
    [2, 'Wybrano 2 klientów'],
    [5, 'Wybrano 5 klientów'],
  ] as const) {
    for (let i = 0; i < count; i++) await boxes.nth(i).check();
    await expect(wizard.getByText(text, { exact: true })).toBeVisible();
  }
  await wizard.getByRole('button', { name: 'Dalej' }).click();
  await expect(wizard.getByText(/^Cleo Park traci dostęp do: .+\./)).toBeVisible();
  await wizard.getByRole('button', { name: 'Wstecz' }).click();
  await wizard.getByRole('button', { name: 'Anuluj' }).click();
});

test('Chinese: a client approves an access link on the access-link page in Simplified Chinese', async ({ browser }) => {
  const ada = await pageIn(browser, 'zh-CN');
  await ada.goto('/sign-in');
  await expect(ada.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await signInAs(ada, 'ada@northwind.example', { email: '电子邮件', password: '密码', button: '登录' });
  await expect(ada.getByRole('tab', { name: '客户', exact: true })).toHaveAttribute('aria-selected', 'true');
  await ada.getByRole('button', { name: '获取访问链接' }).click();
  const dialog = ada.getByRole('dialog', { name: '你的访问链接' });
  const link = await dialog.getByLabel('访问链接').inputValue();
  expect(link).toMatch(/\/access\//);
  await dialog.getByRole('button', { name: '关闭' }).click();

  const uma = await pageIn(browser, 'zh-CN');
  await uma.goto(link);
  await expect(uma.getByRole('heading', { name: 'Northwind Digital 的 Ada Lovelace 请求访问权限' })).toBeVisible();
  await expect(uma.getByRole('combobox', { name: '语言' })).toHaveValue('zh-CN');
  await expect(uma.getByRole('heading', { name: '登录以回复' })).toBeVisible();
  await signInAs(uma, 'uma@umbrella.example', { email: '电子邮件', password: '密码', button: '登录' });
  await expect(uma.getByRole('table', { name: '超级管理员与合作伙伴管理员的比较' })).toBeVisible();
  await uma.getByRole('button', { name: '批准' }).click();
  await uma.getByRole('group', { name: '账户' }).getByLabel('Umbrella Labs').check();
  await uma.getByRole('button', { name: '授予访问权限' }).click();
  await expect(uma.getByRole('heading', { level: 1, name: '已授予访问权限' })).toBeVisible();
  await expect(uma.getByRole('status').filter({ hasText: 'Umbrella Labs' })).toContainText(
    'Ada Lovelace 现在是 Umbrella Labs 中的合作伙伴管理员。',
  );

  // Ada's notification, worded in her language.
  await ada.reload();
  await ada.getByRole('button', { name: '通知，1 条未读' }).click();
  await expect(ada.getByRole('group', { name: '通知' })).toContainText('Umbrella Labs 已批准你的访问链接');
  await ada.keyboard.press('Escape');

  // A dialog with a count: Chinese has one plural form.
  await ada.getByRole('tab', { name: '员工' }).click();
  const cleo = ada.getByRole('table', { name: '员工' }).getByRole('row').filter({ hasText: 'Cleo Park' });
  await cleo.hover();
  await cleo.getByRole('button', { name: 'Cleo Park 的操作' }).click();
  await ada.getByRole('menuitem', { name: '从客户中移除员工' }).click();
  const wizard = ada.getByRole('dialog', { name: '从客户中移除 Cleo Park' });
  const boxes = wizard.getByRole('group', { name: '选择客户' }).getByRole('checkbox');
  await boxes.nth(0).check();
  await expect(wizard.getByText('已选择 1 个客户', { exact: true })).toBeVisible();
  await boxes.nth(1).check();
  await expect(wizard.getByText('已选择 2 个客户', { exact: true })).toBeVisible();
  await wizard.getByRole('button', { name: '下一步' }).click();
  await expect(wizard.getByText(/^Cleo Park 将失去对 .+和.+ 的访问权限。/)).toBeVisible();
});

for (const [locale, tag, granted] of [
  ['fi-FI', 'fi', 'Ada Lovelace on nyt kumppanin ylläpitäjä tilillä Umbrella Labs.'],
  ['pl-PL', 'pl', 'Ada Lovelace jest teraz administratorem partnerskim na koncie Umbrella Labs.'],
] as const) {
  test(`${tag}: a client approves an access link in their language`, async ({ browser }) => {
    const T = texts(tag);
    const ada = await pageIn(browser, locale);
    await ada.goto('/sign-in');
    await signInAs(ada, 'ada@northwind.example', { email: T.email, password: T.password, button: T.sign_in });
    await ada.getByRole('button', { name: T.get_access_link }).click();
    const link = await ada.getByRole('dialog').getByLabel(T.access_link_label).inputValue();

    const uma = await pageIn(browser, locale);
    await uma.goto(link);
    await expect(uma.locator('html')).toHaveAttribute('lang', tag);
    await expect(uma.getByRole('heading', { name: T.sign_in_to_respond })).toBeVisible();
    await signInAs(uma, 'uma@umbrella.example', { email: T.email, password: T.password, button: T.sign_in });
    await uma.getByRole('button', { name: T.approve }).click();
    await uma.getByRole('group', { name: T.account }).getByLabel('Umbrella Labs').check();
    await uma.getByRole('button', { name: T.grant_access }).click();
    await expect(uma.getByRole('heading', { level: 1, name: T.granted_title })).toBeVisible();
    await expect(uma.getByRole('status').filter({ hasText: 'Umbrella Labs' })).toContainText(granted);
  });
}

test('the language menu switches every screen and the server remembers the user\'s choice', async ({ browser, page }) => {
  // Signed out, on sign-in: Swedish, then back.
  await page.goto('/sign-in');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('sv');
  await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await page.getByRole('combobox', { name: 'Språk' }).selectOption('en');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // Signed in, from the top bar: Finnish, kept on the server.
  await signInAs(page, 'ada@northwind.example', { email: 'Email', password: 'Password', button: 'Sign in' });
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('fi');
  await expect(page.getByRole('button', { name: 'Kirjaudu ulos' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Asiakkaat' })).toBeVisible();

  // Another browser in English: after signing in, Ada's own language.
  const other = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await other.goto('/sign-in');
  await signInAs(other, 'ada@northwind.example', { email: 'Email', password: 'Password', button: 'Sign in' });
  await expect(other.getByRole('button', { name: 'Kirjaudu ulos' })).toBeVisible();
  await expect(other.locator('html')).toHaveAttribute('lang', 'fi');
  // Users & Teams (the settings' own page) is in Finnish too.
  await other.getByRole('combobox', { name: 'Kieli' }).selectOption('en');
  await expect(other.getByRole('button', { name: 'Sign out' })).toBeVisible();
});
