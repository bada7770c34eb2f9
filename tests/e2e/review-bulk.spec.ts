// R17 end to end: the Access review (filters, search, select all matching,
// the review step, the job's progress and per-row report, found again
// under Bulk work), adding one employee to many clients with a refusal
// among them, and the coverage grid. Screens are kept (test-results/shots).
import { expect, resetDemoData, shot, signIn, test, type Page } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

async function openTab(page: Page, name: string) {
  await page.getByRole('tab', { name }).click();
}

test('review → remove every row of an employee, with the report per row', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.goto('/accounts/1/client-access-manager/review');
  await expect(page.getByRole('tab', { name: 'Access review', selected: true })).toBeVisible();
  // Its own page (bulk.html): the app's first load does not carry this code.
  const wasm = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.wasm')),
  );
  expect(wasm).toEqual([expect.stringMatching(/^\/bulk-[0-9a-f]+_bg\.wasm$/)]);
  const table = page.getByRole('table', { name: 'Access review' });
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  // Idle more than 30 days: every row shown is idle longer, the longest first.
  await page.getByLabel('Show').selectOption('idle30');
  await expect(page).toHaveURL(/filter=idle30/);
  // The filter says what it hides.
  const hidden = 'Shows active access only: deactivated access is hidden under this filter.';
  await expect(page.getByText(hidden)).toBeVisible();
  await expect(page.getByLabel('Show')).toHaveAccessibleDescription(hidden);
  const cells = table.locator('td.num .idle');
  await expect.poll(async () => (await cells.allInnerTexts()).map(Number).every((d) => d > 30)).toBe(true);
  const days = (await cells.allInnerTexts()).map(Number);
  expect(days.length).toBeGreaterThan(0);
  expect([...days].sort((a, b) => b - a)).toEqual(days);
  await shot(page, 'review-idle30');

  // All of Cleo's access, across pages.
  await page.getByLabel('Show').selectOption('all');
  await expect(page.getByText(hidden)).toHaveCount(0);
  await page.getByLabel('Search employees or clients').fill('cleo@northwind');
  await expect(table.getByRole('row').nth(1)).toContainText('Cleo Park');
  const total = Number((await page.locator('.pager-total').innerText()).match(/\d+/)![0]);
  await page.getByRole('button', { name: `Select all ${total} matching` }).click();
  await expect(page.getByText(`${total} rows selected`)).toBeVisible();
  // Every row on screen shows ticked; unticking Acme leaves it out of "all matching".
  const boxes = table.getByRole('checkbox', { name: /^Select Cleo Park · / });
  for (const box of await boxes.all()) await expect(box).toBeChecked();
  await table.getByRole('checkbox', { name: 'Select Cleo Park · Acme Corp' }).uncheck();
  await expect(page.getByText(`${total - 1} rows selected`)).toBeVisible();
  await expect(page.getByRole('button', { name: `Select all ${total} matching` })).toBeVisible();
  await shot(page, 'review-all-but-one');
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove the chosen access' });
  await expect(dialog.getByText('Each row is checked on its own')).toBeVisible();
  await expect(dialog.locator('.counts')).toContainText(`Chosen${total - 1}`);
  const planned = dialog.getByRole('table', { name: 'Review' }).getByRole('row');
  await expect(planned.nth(1)).toContainText('Will be removed');
  await expect(planned.filter({ hasText: 'Acme Corp' })).toHaveCount(0);
  await shot(page, 'review-remove-step');
  // The button names its effect and count.
  const n = total - 1;
  await dialog.getByRole('button', { name: `Remove ${n} ${n === 1 ? 'access' : 'accesses'}`, exact: true }).click();

  // The job's page: progress, then the report; counts add up.
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(page.getByRole('heading', { name: 'Removing access' })).toBeVisible();
  await expect(page.getByText('Finished')).toBeVisible();
  const summary = page.getByLabel('Summary');
  await expect(summary).toContainText(`Chosen${total - 1}`);
  await expect(summary).toContainText(`Done${total - 1}`);
  await expect(summary).toContainText('Not done0');
  await shot(page, 'job-report');

  // Found again under Bulk work; Cleo keeps only her Acme access, the row left out.
  await page.getByRole('link', { name: 'Bulk work' }).click();
  await page.getByRole('link', { name: 'Removing access' }).first().click();
  await expect(page.getByText('Finished')).toBeVisible();
  await page.goto('/accounts/1/client-access-manager/review?q=cleo%40northwind');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText('Acme Corp');
});

test('deactivating all of Ada\'s rows reports the refused ones with their rule', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await page.goto('/accounts/1/client-access-manager/review?q=ada%40northwind');
  await page.getByRole('button', { name: /^Select all \d+ matching$/ }).click();
  await page.getByRole('button', { name: 'Deactivate', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Deactivate the chosen access' });
  // Initech keeps its only super admin (R9); what is already deactivated stays so (R8).
  await expect(dialog.getByRole('row').filter({ hasText: 'Initech' })).toContainText('must keep at least one super admin');
  await dialog.getByRole('button', { name: /^Deactivate \d+ access(es)?$/ }).click();
  await expect(page.getByText('Finished')).toBeVisible();
  await page.getByLabel('Show only what was not done').check();
  const report = page.getByRole('table', { name: 'Report' });
  await expect(report.getByRole('row').filter({ hasText: 'Initech' })).toContainText('keep at least one super admin');
  await expect(report.getByRole('row').nth(1)).toContainText('Not done');
  await shot(page, 'job-refused-only');
});

/** Ada opens Add to clients for Dan from the Employees tab. */
async function openAddDanToClients(page: Page) {
  await signIn(page, 'ada@northwind.example');
  await openTab(page, 'Employees');
  const row = page.getByRole('table', { name: 'Employees' }).getByRole('row').filter({ hasText: 'Dan Reyes' });
  await row.hover();
  await row.getByRole('button', { name: 'Actions for Dan Reyes' }).click();
  await page.getByRole('menuitem', { name: 'Add to clients' }).click();
  await expect(page.getByRole('heading', { name: 'Add Dan Reyes to clients' })).toBeVisible();
}

test('adding an employee to many clients shows their own access per client and refuses before choosing', async ({ page }) => {
  await openAddDanToClients(page);
  // As in Add employees, Partner Admin unless chosen otherwise.
  await expect(page.getByLabel('Permission set')).toHaveValue('partner_admin');
  const choose = page.getByRole('table', { name: 'Choose clients' });
  // Dan's access in each client, not Ada's.
  await expect(choose.getByRole('columnheader', { name: "Dan Reyes's access" })).toBeVisible();
  // Globex: Ada is a super admin there, not a Partner Admin (R2): refused, with the reason, before choosing.
  await page.getByLabel('Search clients').fill('Globex');
  const globex = choose.getByRole('row').filter({ hasText: 'Globex' });
  await expect(globex).toContainText('Cannot be added');
  await expect(globex).toContainText('You need to be a Partner Admin in this client account to do this');
  await expect(globex).toContainText('No access');
  await expect(choose.getByLabel('Select Globex')).toBeDisabled();
  // Aurora Logistics: Dan already works there with the Marketing set (R4).
  await page.getByLabel('Search clients').fill('Aurora');
  const aurora = choose.getByRole('row').filter({ hasText: 'Aurora Logistics' });
  await expect(aurora).toContainText('Marketing');
  await expect(aurora).toContainText('Dan Reyes is already a user in this account');
  await expect(choose.getByLabel('Select Aurora Logistics (key account)')).toBeDisabled();
  // Acme: Dan has no access and Ada is its Partner Admin.
  await page.getByLabel('Search clients').fill('Acme');
  const acme = choose.getByRole('row').filter({ hasText: 'Acme Corp' });
  await expect(acme).toContainText('No access');
  await expect(acme).toContainText('Can be added');
  await choose.getByLabel('Select Acme Corp').check();
  await page.getByLabel('Search clients').fill('Baltic');
  await choose.getByLabel('Select Baltic Timber').check();
  await expect(page.getByText('2 clients chosen')).toBeVisible();
  await page.getByLabel('Permission set').selectOption('sales');
  await page.getByLabel('Access ends').selectOption({ label: 'In 30 days' });
  await shot(page, 'add-to-clients-choose');
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.getByText('Each client is checked on its own')).toBeVisible();
  const review = page.getByRole('table', { name: 'Review' });
  await expect(review.getByRole('row').filter({ hasText: 'Acme Corp' })).toContainText('Will be changed');
  await expect(review.getByRole('row').filter({ hasText: 'Baltic Timber' })).toContainText('Will be changed');
  await expect(review.getByRole('row').filter({ hasText: 'Not done' })).toHaveCount(0);
  await shot(page, 'add-to-clients-review');
  await page.getByRole('button', { name: 'Add to clients' }).click();
  await expect(page.getByRole('heading', { name: 'Adding Dan Reyes to clients' })).toBeVisible();
  await expect(page.getByText('Finished')).toBeVisible();
  await expect(page.getByLabel('Summary')).toContainText('Done2');
  await expect(page.getByLabel('Summary')).toContainText('Not done0');
  // Read back in the Access review: Dan is in Acme with 30 days left.
  await page.goto('/accounts/1/client-access-manager/review?q=dan%40northwind');
  await expect(page.getByRole('table', { name: 'Access review' }).getByRole('row').filter({ hasText: 'Acme Corp' })).toContainText('30 days left');
  // The Employees tab gives one date for Dan's two ends: the soonest of them.
  await page.goto('/accounts/1/client-access-manager/employees');
  const people = page.getByRole('table', { name: 'Employees' });
  await expect(people.getByRole('columnheader', { name: 'Next end' })).toBeVisible();
  await expect(people.getByRole('row').filter({ hasText: 'Dan Reyes' })).toContainText('soonest of 2');
  await shot(page, 'employees-soonest-end');
});

test('"Select all" on Add to clients takes only the clients that can be added', async ({ page }) => {
  await openAddDanToClients(page);
  const hint = page.getByText(/^\d+ matching clients cannot be added; each row says why\.$/);
  await expect(hint).toBeVisible();
  const refused = Number((await hint.innerText()).match(/\d+/)![0]);
  const all = page.getByRole('button', { name: /^Select all \d+ clients that can be added$/ });
  const addable = Number((await all.innerText()).match(/\d+/)![0]);
  // Every client of Northwind is one or the other.
  await expect(page.getByText(`${addable + refused} results`)).toBeVisible();
  expect(addable).toBeGreaterThan(1);
  expect(refused).toBeGreaterThan(0);
  await all.click();
  await expect(page.getByText(`${addable} clients chosen`)).toBeVisible();
  // Boxes of refused clients stay unticked and disabled.
  const choose = page.getByRole('table', { name: 'Choose clients' });
  await expect(choose.getByLabel('Select Globex')).not.toBeChecked();
  await expect(choose.getByLabel('Select Acme Corp')).toBeChecked();
  await shot(page, 'add-to-clients-all-addable');
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.locator('.counts')).toContainText(`Chosen${addable}`);
  await expect(page.locator('.counts')).toContainText('Not done0');
});

test('the coverage grid colours clients by employees, searched and paged', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  await openTab(page, 'Coverage');
  const grid = page.getByRole('table', { name: 'Coverage' });
  const acme = grid.getByRole('row').filter({ hasText: 'Acme Corp' });
  await expect(acme.getByLabel(/^Ada Lovelace: Partner Admin, /)).toBeVisible();
  await expect(acme.getByLabel(/^Cleo Park: Other permission set, /)).toBeVisible();
  await expect(acme.getByLabel(/^Dan Reyes: No access, /)).toBeVisible();
  await expect(page.getByRole('group', { name: 'Legend' })).toContainText('Super admin');
  await shot(page, 'coverage');
  await page.getByLabel('Search clients').fill('Initech');
  await expect(grid.getByRole('row')).toHaveCount(2);
  await expect(grid.getByRole('row').nth(1).getByLabel(/^Ada Lovelace: Super admin, /)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();
});
