// SPEC R20 end to end: Ada adds an authenticator app (the test computes
// codes with its own RFC 6238 from the key the page shows), signs out and
// signs in with her password and a code; Carol requires a second factor of
// Acme's partner people and Ben, entering Acme, is taken to set one up
// first, then back; Uma registers a passkey with Chromium's virtual
// authenticator and signs in with it. Screens are kept for review.
import { createHmac } from 'crypto';
import { expect, resetDemoData, shot, signIn, signOut, test, type Page } from './helpers';

test.beforeEach(async ({ request }) => resetDemoData(request));

/** RFC 4648 base32 (spaces and padding ignored) to bytes. */
function unbase32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238: HMAC-SHA1, six digits, 30-second steps, at `seconds`. */
function totp(secret: Buffer, seconds: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const h = createHmac('sha1', secret).update(counter).digest();
  const o = h[19] & 15;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

test('the test computes RFC 6238 codes', () => {
  expect(totp(Buffer.from('12345678901234567890'), 59)).toBe('287082');
  expect(unbase32('GEZDGNBVGY3TQOJQ').toString()).toBe('1234567890');
});

/** Moves the server's clock (test mode) to `seconds`. */
async function serverClock(page: Page, seconds: number) {
  expect((await page.request.put('/api/v1/test/clock', { data: { now: seconds } })).status()).toBe(204);
}

/** The start of a fresh 30-second step, a little ahead of now. */
function stepStart(): number {
  return (Math.floor(Date.now() / 1000 / 30) + 1) * 30 + 1;
}

/** Adds an authenticator on the user's security page at server time `now`; its key. */
async function addAuthenticator(page: Page, now: number): Promise<Buffer> {
  const app = page.getByRole('region', { name: 'Authenticator app' });
  await app.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await expect(app.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const key = unbase32(await app.getByLabel('Key for typing in').inputValue());
  expect(key.length).toBe(20);
  // One field, a code from a phone's keyboard or SMS autofill.
  const code = app.getByLabel('Code');
  await expect(code).toHaveAttribute('autocomplete', 'one-time-code');
  await code.fill('000000');
  await app.getByRole('button', { name: 'Confirm' }).click();
  await expect(app.getByRole('alert')).toContainText('That code is not right');
  await code.fill(totp(key, now));
  await app.getByRole('button', { name: 'Confirm' }).click();
  return key;
}

test('Ada adds an authenticator app and signs in with her password and a code', async ({ page }) => {
  const t0 = stepStart();
  await serverClock(page, t0);
  await signIn(page, 'ada@northwind.example');
  await page.getByRole('link', { name: 'Ada Lovelace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign-in security' })).toBeVisible();
  await shot(page, 'security-none');
  const key = await addAuthenticator(page, t0);

  // Ten recovery codes, shown once, downloadable.
  const codes = page.getByRole('region', { name: 'Recovery codes' }).first();
  await expect(codes.getByRole('listitem')).toHaveCount(10);
  await expect(codes.getByRole('link', { name: 'Download codes' })).toHaveAttribute('download', 'recovery-codes.txt');
  const recovery = await codes.getByRole('listitem').first().innerText();
  expect(recovery).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  await shot(page, 'security-recovery-codes');
  await codes.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByRole('region', { name: 'Authenticator app' })).toContainText('Added');
  await expect(page.getByRole('region', { name: 'Recovery codes' })).toContainText('10 recovery codes left');

  // Sign out, then in: the password, then the code of the next step.
  await signOut(page);
  await page.getByLabel('Email').fill('ada@northwind.example');
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/security\/verify$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm it is you' })).toBeVisible();
  // Nothing of an account is served before the factor is given.
  expect((await page.request.get('/api/v1/session')).status()).toBe(401);
  await shot(page, 'security-verify');
  // The code just used is refused; the next step's is taken.
  await page.getByLabel('Code').fill(totp(key, t0));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is not right, or it was used already.');
  await serverClock(page, t0 + 30);
  await page.getByLabel('Code').fill(totp(key, t0 + 30));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page).toHaveURL(/client-access-manager/);

  // A recovery code works once too.
  await signOut(page);
  await page.getByLabel('Email').fill('ada@northwind.example');
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code').fill(recovery);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('Carol requires a second factor of partner people; Ben, entering Acme, sets one up first', async ({ page }) => {
  // Ada adds Ben to Acme (as Northwind's Partner Admin there).
  await signIn(page, 'ada@northwind.example');
  const session = await page.request.get('/api/v1/session');
  const csrf = session.headers()['x-csrf-token'];
  const memberships: { account_id: number; account_name: string }[] = (await session.json()).memberships;
  const id = (name: string) => memberships.find((m) => m.account_name === name)!.account_id;
  const [nw, acme] = [id('Northwind Digital'), id('Acme Corporation')];
  const employees = await (await page.request.get(`/api/v1/accounts/${nw}/cam/employees?q=ben`)).json();
  const ben = employees.rows.find((e: { email: string }) => e.email === 'ben@northwind.example').user_id;
  const added = await page.request.post(`/api/v1/accounts/${nw}/cam/clients/${acme}/employees`, {
    headers: { 'x-csrf-token': csrf },
    data: { user_ids: [ben], permission_set: 'sales' },
  });
  expect(added.ok()).toBeTruthy();
  await signOut(page);

  // Carol, Acme's super admin: Settings > Security from her own security page.
  await signIn(page, 'carol@acme.example');
  await page.getByRole('link', { name: 'Carol' }).first().click();
  await page.getByRole('region', { name: 'Your accounts' }).getByRole('link', { name: 'Acme Corporation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeVisible();
  await page.getByRole('radio', { name: 'Partner people only' }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').getByText('Saved.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Who has a second factor' })).toContainText('Ben Okafor');
  await shot(page, 'security-account');
  await signOut(page);

  // Ben enters Acme: taken to set up a factor first, then back.
  const t0 = stepStart();
  await serverClock(page, t0);
  await signIn(page, 'ben@northwind.example');
  await page.goto(`/accounts/${acme}/assets`);
  await expect(page).toHaveURL(/\/security\/required$/);
  await expect(page.getByRole('status').filter({ hasText: 'requires a second factor' })).toBeVisible();
  await shot(page, 'security-required');
  await addAuthenticator(page, t0);
  await page.getByRole('region', { name: 'Recovery codes' }).first().getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${acme}/assets`));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  // Carol sees on Partner access that Ben now has a factor.
  await signOut(page);
  await signIn(page, 'carol@acme.example');
  await page.getByRole('link', { name: 'Partner access' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Ben Okafor' });
  await expect(row).toContainText('Has a second factor');
});

test('Uma registers a passkey and signs in with it', async ({ page, baseURL }) => {
  // WebAuthn takes a domain, not an IP address: the journey runs on localhost.
  const local = baseURL!.replace('127.0.0.1', 'localhost');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  await page.goto(`${local}/sign-in`);
  await signIn(page, 'uma@umbrella.example');
  await page.goto(`${local}/security`);
  const keys = page.getByRole('region', { name: 'Passkeys' });
  await keys.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.getByRole('region', { name: 'Recovery codes' }).first().getByRole('listitem')).toHaveCount(10);
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(keys.getByRole('listitem')).toHaveCount(1);
  await shot(page, 'security-passkey');

  await signOut(page);
  await page.getByLabel('Email').fill('uma@umbrella.example');
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/security\/verify$/);
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});
