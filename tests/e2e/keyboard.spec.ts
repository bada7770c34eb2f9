// One journey with the keyboard alone (Tab, Enter, Space, Escape, typing,
// arrow keys in tabs and menus): add an employee to a client, change their
// permission set, remove them from clients. Every Tab stop shows its focus.
import { expect, PASSWORD, resetDemoData, test } from './helpers';
import type { Locator, Page } from '@playwright/test';

test.beforeEach(async ({ request }) => resetDemoData(request));

/** Whether the focused element shows a focus indicator (an outline or a ring). */
async function focusIsVisible(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    // After a page change the focus starts again from the document.
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const ring = s.boxShadow !== 'none';
    return outline || ring ? null : `no visible focus on <${el.tagName.toLowerCase()}> "${el.getAttribute('aria-label') ?? el.textContent?.trim()}"`;
  });
}

/** Presses Tab until `target` has the focus, checking the focus is visible at every stop. */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const problem = await focusIsVisible(page);
    expect(problem, `Tab stop ${i + 1}`).toBeNull();
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Presses ArrowDown in an open menu until the item named `name` has the focus. */
async function arrowTo(page: Page, name: string) {
  for (let i = 0; i < 12; i++) {
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.getAttribute('role')?.startsWith('menuitem') ? el.textContent?.trim() ?? '' : null;
    });
    expect(focused, 'the focus is on a menu item').not.toBeNull();
    if (focused!.startsWith(name)) {
      expect(await focusIsVisible(page)).toBeNull();
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no menu item ${name}`);
}

test('add an employee, change the permission set and remove from clients, by keyboard alone', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/sign-in');
  await tabTo(page, page.getByLabel('Email'));
  await page.keyboard.type('ada@northwind.example');
  await tabTo(page, page.getByLabel('Password'));
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('table', { name: 'Clients' })).toBeVisible();

  // Add employees: Dan to Acme with the Sales set.
  await tabTo(page, page.getByRole('button', { name: 'Actions for Acme Corp' }));
  await page.keyboard.press('Enter');
  await arrowTo(page, 'Add employees');
  await page.keyboard.press('Enter');
  const panel = page.getByRole('dialog', { name: 'Add employees to Acme Corp' });
  await expect(panel).toBeVisible();
  await tabTo(page, panel.getByRole('button', { name: /^Employees/ }));
  await page.keyboard.press('Enter');
  await tabTo(page, panel.getByRole('group', { name: 'Employees' }).getByLabel('Dan Reyes'));
  await page.keyboard.press('Space');
  await page.keyboard.press('Escape');
  await expect(panel.getByRole('button', { name: /^Employees/ })).toBeFocused();
  await expect(panel).toBeVisible();
  await tabTo(page, panel.getByLabel('Permission set'));
  await page.keyboard.type('Sales');
  await expect(panel.getByLabel('Permission set')).toHaveValue('sales');
  await tabTo(page, panel.getByRole('button', { name: 'Add employees' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').getByText('1 employee added.')).toBeVisible();

  // Change permission set: Dan moves from Sales to View only.
  await tabTo(page, page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme Corp' }));
  await page.keyboard.press('Enter');
  const team = page.getByRole('table', { name: 'Partner employees' });
  await expect(team.getByRole('row').filter({ hasText: 'Dan Reyes' })).toContainText('Sales');
  await tabTo(page, page.getByRole('button', { name: 'Actions for Dan Reyes' }));
  await page.keyboard.press('Enter');
  await arrowTo(page, 'Change permission set');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Change permission set for Dan Reyes' });
  await tabTo(page, dialog.getByLabel('Permission set'));
  await page.keyboard.type('View only');
  await expect(dialog.getByLabel('Permission set')).toHaveValue('view_only');
  await tabTo(page, dialog.getByRole('button', { name: 'Confirm' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').getByText('Permission set changed.')).toBeVisible();
  await expect(team.getByRole('row').filter({ hasText: 'Dan Reyes' })).toContainText('View only');

  // Remove employee from clients, from the Employees tab (arrow keys in the tabs).
  await tabTo(page, page.getByRole('link', { name: 'Back to clients' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('tab', { name: 'Clients' }));
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Employees' })).toHaveAttribute('aria-selected', 'true');
  await tabTo(page, page.getByRole('button', { name: 'Actions for Dan Reyes' }));
  await page.keyboard.press('Enter');
  await arrowTo(page, 'Remove employee from clients');
  await page.keyboard.press('Enter');
  const wizard = page.getByRole('dialog', { name: 'Remove Dan Reyes from clients' });
  await tabTo(page, wizard.getByRole('checkbox', { name: /Acme Corp/ }));
  await page.keyboard.press('Space');
  await tabTo(page, wizard.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');
  await expect(wizard.getByText(/^Dan Reyes loses access to Acme Corp\./)).toBeVisible();
  await tabTo(page, wizard.getByRole('button', { name: 'Done' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').getByText('Dan Reyes removed from Acme Corp.')).toBeVisible();
});

test('focus stays inside a side panel and a dialog, and returns to what opened them', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('ada@northwind.example');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const row = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Acme Corp' });
  const actions = row.getByRole('button', { name: 'Actions for Acme Corp' });
  await actions.focus();
  await page.keyboard.press('Enter');
  await arrowTo(page, 'Add employees');
  await page.keyboard.press('Enter');
  const panel = page.getByRole('dialog', { name: 'Add employees to Acme Corp' });
  await expect(panel).toBeVisible();
  const inside = () => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));
  // Round the panel twice, forwards and backwards: never behind the backdrop.
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    expect(await inside(), `Tab ${i + 1} stays in the panel`).toBe(true);
  }
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await inside(), `Shift+Tab ${i + 1} stays in the panel`).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(actions).toBeFocused();

  // The access-link dialog: Tab after its last control wraps to its first.
  const get = page.getByRole('button', { name: 'Get access link' });
  await get.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Your access link' });
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    expect(await inside(), `Tab ${i + 1} stays in the dialog`).toBe(true);
  }
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(get).toBeFocused();
});
