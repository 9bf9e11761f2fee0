// UI tests (test/ui) run Debian's Chromium against the renderer served by `crossline serve` over the real
// core; Electron tests (test/e2e) run only where an Electron binary was installed.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test',
  testMatch: ['ui/**/*.spec.ts', 'e2e/**/*.spec.ts'],
  outputDir: 'test-results/playwright',
  globalSetup: './test/ui/support/global-setup.ts',
  // One worker: the scenarios share one bridge and one case, and the machine has two cores.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['./test/ui/support/summary-reporter.ts']],
  use: {
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
