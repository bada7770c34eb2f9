// Playwright drives Debian's Chromium (never a downloaded browser) against the
// real server binary, started on a fresh temporary database in test mode.
import { defineConfig } from '@playwright/test';
import * as os from 'os';
import * as path from 'path';

const port = Number(process.env.E2E_PORT ?? 18080);
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(__dirname, 'target');
const server = process.env.CAM_SERVER_BIN ?? path.join(targetDir, 'debug', 'cam-server');
// E2E_VIEWPORT=WIDTHxHEIGHT runs the journeys at another size (screens for review).
const [vw, vh] = (process.env.E2E_VIEWPORT ?? '1280x720').split('x').map(Number);
const database = process.env.E2E_DB ?? path.join(os.tmpdir(), `cam-e2e-${port}`, 'cam.db');

export default defineConfig({
  testDir: './tests/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'en-US',
    viewport: { width: vw, height: vh },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // A SQLite file starts from nothing each run; a PostgreSQL database
    // (E2E_DB=postgres://…) is made empty by the scripts.
    command: `${database.startsWith('postgres') ? 'true' : `rm -rf "${path.dirname(database)}"`} && "${server}" --port ${port} --database "${database}" --dist "${process.env.E2E_DIST ?? 'dist'}" --test-mode true`,
    url: `http://127.0.0.1:${port}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
