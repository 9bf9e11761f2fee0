// The Electron app end to end: real window, preload, IPC and core. It needs the Electron binary, which
// `ELECTRON_SKIP_BINARY_DOWNLOAD=1` installs leave out (it cannot be downloaded on this project's machines),
// and the built main process; without either the test is reported as skipped, with the reason.
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ELECTRON_DIST = join(REPO, 'node_modules', 'electron', 'dist');
const MAIN = join(REPO, 'out', 'main', 'main.js');

test.skip(!existsSync(ELECTRON_DIST), `did not run: no Electron binary (${ELECTRON_DIST} is missing; it was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)`);
test.skip(!existsSync(MAIN), `did not run: ${MAIN} is missing (npm run build)`);

test('the app window talks to the core over IPC and opens the sample case', async () => {
  const userData = mkdtempSync(join(tmpdir(), 'crossline-e2e-'));
  const app = await electron.launch({ args: [MAIN, `--user-data-dir=${userData}`], cwd: REPO, env: { ...process.env, CROSSLINE_DATA: userData } });
  try {
    const window = await app.firstWindow();
    await expect(window).toHaveTitle('Crossline');
    expect(await window.evaluate(() => typeof (globalThis as { crossline?: { invoke?: unknown } }).crossline?.invoke)).toBe('function');
    // The renderer has no Node: the preload exposes only the contract.
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await window.getByTestId('open-sample').click();
    await expect(window.locator('nav [data-nav="findings"] .nav-count')).toBeVisible({ timeout: 90_000 });
    await window.locator('nav [data-nav="findings"]').click();
    await expect(window.getByTestId('finding').first()).toHaveAttribute('data-severity', 'critical');
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
