// Errors at the field (issue 27, point 6), one pattern everywhere: a field is
// checked when it is left, with the domain's own rules; its words stand under
// it, the input is aria-invalid and described by them; a form with a wrong
// field sends nothing and puts the focus on it; the server's refusal of one
// input is shown at that input, not in a banner.
import { expect, isoDay, PASSWORD, resetDemoData, shot, signIn, test, type Page } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

/** Keeps the screen for review at the run's size and, with E2E_SHOTS, at a
 * phone's too (signing in at a phone's size is another journey's matter). */
async function shots(page: Page, name: string) {
  await shot(page, name);
  const size = page.viewportSize();
  if (!process.env.E2E_SHOTS || !size || size.width <= 390) return;
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, name);
  await page.setViewportSize(size);
}

/** The API calls that change something, from now on. */
function writesOf(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'GET' && new URL(r.url()).pathname.startsWith('/api/')) sent.push(r.url());
  });
  return sent;
}

test('a past end date in Add employees is refused at the field when it is left, and nothing is sent', async ({ page }) => {
  await signIn(page, 'ada@northwind.example');
  const row = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: 'Acme Corp' });
  await row.hover();
  await row.getByRole('button', { name: 'Actions for Acme Corp' }).click();
  await page.getByRole('menuitem', { name: 'Add employees' }).click();
  const panel = page.getByRole('dialog', { name: 'Add employees to Acme Corp' });
  await panel.getByRole('button', { name: /^Employees/ }).click();
  await panel.getByRole('group', { name: 'Employees' }).getByLabel('Dan Reyes').check();
  await page.keyboard.press('Escape');
  await panel.getByLabel('Access ends').selectOption({ label: 'On a date…' });
  const date = panel.getByLabel('End date');
  await date.fill(isoDay(-3));
  // Nothing is said while the person is still in the field.
  await expect(date).not.toHaveAttribute('aria-invalid', 'true');
  await date.blur();
  const past = panel.getByText('Choose an end date in the future', { exact: true });
  await expect(past).toBeVisible();
  await expect(date).toHaveAttribute('aria-invalid', 'true');
  await expect(date).toHaveAttribute('aria-describedby', (await past.getAttribute('id')) ?? 'no id');
  await shots(page, 'field-error-end-date');

  // Sending is stopped at the field: focus there, no request.
  const sent = writesOf(page);
  await panel.getByRole('button', { name: 'Add employees' }).click();
  await expect(date).toBeFocused();
  await expect(past).toBeVisible();
  await expect(panel.getByRole('alert')).toHaveCount(0);

  // Too far ahead is said in words too; a right date takes the message away as it is typed.
  await date.fill(isoDay(800));
  await date.blur();
  await expect(panel.getByText('Access can end at most two years from now', { exact: true })).toBeVisible();
  await date.fill(isoDay(20));
  await expect(date).not.toHaveAttribute('aria-invalid', 'true');
  await expect(date).not.toHaveAttribute('aria-describedby');
  await panel.getByRole('button', { name: 'Add employees' }).click();
  await expect(page.getByRole('status').getByText('1 employee added.')).toBeVisible();
  // The one request is the last one: the wrong dates sent nothing.
  expect(sent).toHaveLength(1);
});

test('Create user says who is already here at the email, and stops a new person without a name at the name field', async ({ page }) => {
  await signIn(page, 'carol@acme.example');
  await page.getByRole('button', { name: 'Create user' }).click();
  const wizard = page.getByRole('dialog', { name: 'Create user' });
  const email = wizard.getByLabel('Email');
  await email.fill('new.person@acme');
  await email.blur();
  await expect(wizard.getByText('Enter an email address like name@example.com.')).toBeVisible();
  await expect(email).toHaveAttribute('aria-invalid', 'true');

  // Someone already in the account: said at the email field.
  await email.fill('eve@contractor.example');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByText('eve@contractor.example is already a user in this account.')).toBeVisible();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toBeFocused();

  // Someone new: step 2 says so before asking for the name.
  await email.fill('nina.new@acme.example');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByText('nina.new@acme.example is not a user in this account yet.')).toBeVisible();
  const name = wizard.getByLabel('Name', { exact: true });
  await wizard.getByRole('button', { name: 'Create user' }).click();
  const needed = wizard.getByText('nina.new@acme.example has no user yet: enter their name.');
  await expect(needed).toBeVisible();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAttribute('aria-describedby', 'new-user-name-error');
  await expect(name).toBeFocused();
  await expect(wizard.getByRole('alert')).toHaveCount(0);
  await shots(page, 'field-error-create-user-name');

  // From now on the name is required at the field: sending without it is stopped there.
  const sent = writesOf(page);
  await wizard.getByRole('button', { name: 'Create user' }).click();
  await expect(name).toBeFocused();
  await name.fill('Nina New');
  await expect(needed).toBeHidden();
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
  await wizard.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status').getByText('User created.')).toBeVisible();
  expect(sent).toHaveLength(1);
  await expect(page.getByRole('table', { name: 'Users & Teams' }).getByRole('row').filter({ hasText: 'Nina New' })).toBeVisible();
});

test('sign-in marks an email that is not one at the field when it is left, and sends nothing', async ({ page }) => {
  await page.goto('/sign-in');
  const email = page.getByLabel('Email');
  await email.fill('ada@northwind');
  await email.press('Tab');
  const message = page.getByText('Enter an email address like name@example.com.');
  await expect(message).toBeVisible();
  await expect(message).toHaveAttribute('id', 'email-error');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAttribute('aria-describedby', 'email-error');
  await page.getByLabel('Password').fill(PASSWORD);
  await shots(page, 'field-error-sign-in');

  const sent = writesOf(page);
  await page.getByLabel('Password').press('Enter');
  await expect(email).toBeFocused();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(email).toBeFocused();
  await expect(page.getByRole('alert')).toHaveCount(0);

  await email.fill('ada@northwind.example');
  await expect(message).toBeHidden();
  await expect(email).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(sent).toHaveLength(1);
});
