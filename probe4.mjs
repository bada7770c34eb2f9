import { chromium } from '@playwright/test';
const port = process.argv[2];
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking'] });
for (let i = 0; i < 8; i++) {
const p = await b.newPage();
p.on('console', m => { if (m.type()==='error' && !m.text().includes('401')) console.log('console', m.text().slice(0,1500)); });
p.on('pageerror', e => console.log('pageerror', e.message));
await p.goto(`http://127.0.0.1:${port}/sign-in`);
await p.getByLabel('Email').fill('ada@northwind.example');
await p.getByLabel('Password').fill('demo-password');
await p.getByRole('button', { name: 'Sign in' }).click();
await p.getByRole('button', { name: 'Sign out' }).waitFor();
await p.waitForURL(u => !u.pathname.startsWith('/sign-in'));
await p.getByRole('main').waitFor();
await p.goto(`http://127.0.0.1:${port}/no/such/page`);
await p.waitForTimeout(1500);
console.log(i, await p.getByRole('heading', {name: 'Page not found'}).count());
await p.close();
}
await b.close();
