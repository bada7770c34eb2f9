// Shared steps of the end-to-end journeys, by role and label only.
import { expect, test as base, type APIRequestContext, type Page } from '@playwright/test';

export { expect };
export type { Page };

/**
 * Every journey also fails on an uncaught error or a panic in the app, and on
 * anything the Content-Security-Policy refused (the app must run under it
 * with nothing more allowed; SECURITY.md, item 9).
 */
export const test = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
    });
    await use(page);
    expect(errors, 'uncaught errors or CSP violations in the page').toEqual([]);
  },
});

export const PASSWORD = 'demo-password';

/** Back to the demo data of SPEC §6 (test mode only). */
export async function resetDemoData(request: APIRequestContext) {
  const res = await request.post('/api/v1/test/reset');
  expect(res.status()).toBe(204);
}

/** Signs out from the top bar and waits for the sign-in page (from the
 * settings' page this is a whole page load of the app's page). */
export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

/** Signs in through the sign-in page. */
export async function signIn(page: Page, email: string) {
  if (!page.url().includes('/sign-in')) {
    await page.goto('/sign-in');
  }
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  // Settle on the landing page before the test moves on.
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in') && url.pathname !== '/');
  await expect(page.getByRole('main')).toBeVisible();
}

export const DAY = 86_400;

/** `YYYY-MM-DD` of the UTC day `days` from now. */
export function isoDay(days: number): string {
  return new Date(Date.now() + days * DAY * 1000).toISOString().slice(0, 10);
}

/** Keeps a screen for review (test-results/shots), named with its viewport
 * (E2E_VIEWPORT=390x844 runs the journeys at a phone's size). */
export async function shot(page: Page, name: string) {
  const size = page.viewportSize();
  const suffix = size ? `-${size.width}x${size.height}` : '';
  await page.screenshot({ path: `test-results/shots/${name}${suffix}.png`, fullPage: true });
}
