// First-load benchmark (driven by scripts/bench-first-load.sh): cold loads in
// headless Chromium with the cache disabled, measuring the bytes received on
// the wire (every response, headers included, as Chromium counts them) and
// the time from navigation start until the content is shown, for the
// sign-in page, the Clients tab (first page of rows, signed in as a partner
// admin), the access-link page, and the floor: a static page with the same
// 25 Clients rows served by the same server. Prints a table and checks the
// budgets of issue 12; exits 1 when one is missed.
import { chromium } from '../node_modules/playwright-core/index.mjs';
import { writeFileSync, readdirSync } from 'node:fs';

const base = process.env.BENCH_URL;
const dist = process.env.BENCH_DIST;
const runs = Number(process.env.BENCH_RUNS ?? 9);
const PASSWORD = 'demo-password';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

// Sign Ada in once through the API, to find her account, her access link
// and the rows the floor page shows.
const setup = await browser.newContext({ baseURL: base });
const signIn = await setup.request.post('/api/v1/session', {
  data: { email: 'ada@northwind.example', password: PASSWORD },
  headers: { origin: base },
});
const session = await signIn.json();
const csrf = signIn.headers()['x-csrf-token'];
const account = session.memberships.find((m) => m.account_name === 'Northwind Digital').account_id;
const me = session.user.id;
const link = await (await setup.request.put(`/api/v1/accounts/${account}/cam/employees/${me}/access-link`, {
  headers: { 'x-csrf-token': csrf, origin: base },
})).json();
const rows = (await (await setup.request.get(`/api/v1/accounts/${account}/cam/clients`)).json()).rows;
if (rows.length !== 25) throw new Error(`expected a first page of 25 clients, got ${rows.length}`);
await setup.close();

const css = readdirSync(dist).find((f) => /^main-.*\.css$/.test(f));
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
writeFileSync(`${dist}/bench-floor.html`, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Clients</title><link rel="stylesheet" href="/${css}"></head><body><main class="content">
<table class="data-table" aria-label="Clients"><thead><tr><th>Client</th><th>Account</th><th>Your access</th>
<th>Partner employees</th><th>Status</th></tr></thead><tbody>
${rows.map((r) => `<tr><td>${esc(r.crm_name)}</td><td>${esc(r.official_name)}</td><td>${esc(r.my_set_name ?? r.my_access)}</td><td>${r.active_partner_employees} / ${r.partner_employees}</td><td>${esc(r.status)}</td></tr>`).join('\n')}
</tbody></table></main></body></html>`);

// When the content counts as shown, checked on every DOM change.
const SHOWN = {
  signIn: `!!document.querySelector('form button[type=submit]')`,
  // textContent, not innerText: the check must not force a layout itself.
  clients: `(() => { const r = document.querySelectorAll('table[aria-label="Clients"] tbody tr'); return r.length >= 25 && r[24].textContent.includes(${JSON.stringify(rows[24].crm_name)}); })()`,
  access: `[...document.querySelectorAll('h1')].some((h) => h.textContent.includes('asks for access'))`,
};

async function load(path, shown, signedIn, throttled) {
  const context = await browser.newContext({ baseURL: base });
  if (signedIn) {
    await context.request.post('/api/v1/session', {
      data: { email: 'ada@northwind.example', password: PASSWORD },
      headers: { origin: base },
    });
  }
  await context.addInitScript(`(() => {
    const check = () => { if (!window.__shown && (${shown})) window.__shown = performance.now(); };
    new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
    document.addEventListener('DOMContentLoaded', check);
  })()`);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  // A phone on a slow connection (issue 27): 150 ms round trip, 1.6 Mbps down.
  if (throttled) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8,
    });
  }
  let bytes = 0;
  const urls = new Map();
  const detail = [];
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, new URL(e.request.url).pathname));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    detail.push([urls.get(e.requestId), e.encodedDataLength]);
  });
  await page.goto(path);
  await page.waitForFunction(() => window.__shown !== undefined, null, { timeout: 20000 });
  const ms = await page.evaluate(() => window.__shown);
  if (process.env.BENCH_DETAIL) {
    const timeline = await page.evaluate(() => performance.getEntriesByType('resource')
      .map((e) => `${e.startTime.toFixed(0)}–${e.responseEnd.toFixed(0)} ms ${new URL(e.name).pathname}`));
    console.log(`  shown at ${ms.toFixed(0)} ms; ${timeline.join('; ')}`);
  }
  await page.waitForLoadState('networkidle');
  await context.close();
  return { bytes, ms, detail };
}

const cases = [
  ['floor: static Clients rows', '/bench-floor.html', SHOWN.clients, false],
  ['sign-in page', '/sign-in', SHOWN.signIn, false],
  ['Clients tab (25 rows)', `/accounts/${account}/client-access-manager/clients`, SHOWN.clients, true],
  ['access-link page', link.path, SHOWN.access, false],
  ['access-link page, slow phone', link.path, SHOWN.access, false, true],
];
const results = {};
for (const [name, path, shown, signedIn, throttled] of cases) {
  await load(path, shown, signedIn); // warm the server, not the browser
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await load(path, shown, signedIn, throttled));
  if (process.env.BENCH_DETAIL) {
    console.log(name);
    for (const [url, b] of samples[0].detail) console.log(`  ${(b / 1000).toFixed(1).padStart(8)} KB  ${url}`);
  }
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const bytes = samples.map((s) => s.bytes).sort((a, b) => a - b);
  results[name] = { median: ms[Math.floor(ms.length / 2)], min: ms[0], max: ms[ms.length - 1], bytes: bytes[Math.floor(bytes.length / 2)] };
}
await browser.close();

const floor = results['floor: static Clients rows'];
console.log(`first load, ${runs} cold loads each (cache disabled), headless Chromium, loopback`);
console.log('page'.padEnd(30) + 'on the wire'.padStart(14) + 'shown median'.padStart(14) + 'min–max'.padStart(16) + 'vs floor'.padStart(10));
for (const [name, r] of Object.entries(results)) {
  console.log(name.padEnd(30) + `${(r.bytes / 1000).toFixed(1)} KB`.padStart(14) + `${r.median.toFixed(0)} ms`.padStart(14)
    + `${r.min.toFixed(0)}–${r.max.toFixed(0)} ms`.padStart(16) + `${(r.median / floor.median).toFixed(1)}×`.padStart(10));
}
const clients = results['Clients tab (25 rows)'];
const access = results['access-link page'];
const slow = results['access-link page, slow phone'];
const checks = [
  ['Clients tab on the wire ≤ 250 KB', clients.bytes <= 250_000, `${(clients.bytes / 1000).toFixed(1)} KB`],
  ['access-link page on the wire ≤ 120 KB', access.bytes <= 120_000, `${(access.bytes / 1000).toFixed(1)} KB`],
  ['Clients tab shown, median ≤ 400 ms', clients.median <= 400, `${clients.median.toFixed(0)} ms`],
  ['access-link page on a slow phone (150 ms, 1.6 Mbps) shown, median ≤ 1200 ms', slow.median <= 1200, `${slow.median.toFixed(0)} ms`],
  ['Clients tab ≤ 3× the static floor', clients.median <= 3 * floor.median, `${(clients.median / floor.median).toFixed(1)}×`],
];
let failed = false;
for (const [what, ok, figure] of checks) {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}: ${figure}`);
  failed ||= !ok;
}
process.exit(failed ? 1 : 0);
