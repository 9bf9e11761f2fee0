// Staged paths that cannot be imported, as QA met them: a relative path and one that does not exist were staged
// silently, the import was refused with a toast gone in seconds, and the screen then looked as if nothing happened.
// Now each bad path is marked in the list with its reason, the refusal stays on screen until the analyst acts, and
// the good paths stay staged and import.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { REPO, startBridge, type Bridge } from './support/bridge';
import { AppPage } from './support/pages';

test.describe.configure({ mode: 'serial' });

let bridge: Bridge;
const GOOD = join(REPO, 'resources', 'samples', 'globex-multicloud');
const MISSING = '/tmp/does-not-exist-crossline-ui';
const RELATIVE = 'relative/path';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  bridge = await startBridge();
  await bridge.rpc('case.create', { file: join(bridge.dataDir, 'bad-paths.crossline') });
});

test.afterAll(async () => {
  await bridge?.stop();
});

test('bad staged paths are marked with their reason, the refusal stays, and the good path imports', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new AppPage(page);
  await page.clock.install();
  await page.goto(bridge.url);
  await app.go('import');
  await page.getByTestId('import-paths').fill([RELATIVE, MISSING, GOOD].join('\n'));
  await page.getByRole('button', { name: /Add paths/ }).click();

  const staged = (path: string) => page.locator(`[data-testid="staged-path"][data-path="${path}"]`);
  const importButton = page.getByTestId('start-import');
  // A relative path is marked as soon as it is added, and the import waits for it to be dealt with.
  await expect(staged(RELATIVE).getByTestId('staged-path-problem')).toHaveText(/^not absolute/);
  await expect(staged(MISSING).getByTestId('staged-path-problem')).toHaveCount(0);
  await expect(importButton).toBeDisabled();
  await expect(page.getByTestId('staged-blocked')).toContainText('1 marked path cannot be imported');
  await page.getByTestId('remove-marked').click();
  await expect(staged(RELATIVE)).toHaveCount(0);
  await expect(page.getByTestId('staged-path')).toHaveCount(2);

  // The core refuses the import for the missing path: it is marked, the others stay, the refusal stays in view.
  await importButton.click();
  const refused = page.getByTestId('import-refused');
  await expect(refused).toContainText(`Nothing was imported. Not found on the machine running Crossline: ${MISSING}`);
  await expect(staged(MISSING).getByTestId('staged-path-problem')).toHaveText('not found on the machine running Crossline');
  await expect(staged(GOOD)).toBeVisible();
  await expect(staged(GOOD).getByTestId('staged-path-problem')).toHaveCount(0);
  await expect(importButton).toBeDisabled();
  await page.clock.fastForward('02:00');
  await expect(refused).toBeVisible();
  await expect(staged(MISSING).getByTestId('staged-path-problem')).toBeVisible();
  await app.screenshot('60-import-bad-paths');

  // Removing the missing path lets the rest import; the refusal goes with the new import.
  await staged(MISSING).getByRole('button', { name: `Remove ${MISSING}` }).click();
  await expect(importButton).toBeEnabled();
  await expect(importButton).toHaveText('Import 1 path');
  await importButton.click();
  await expect(app.importer.summary).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
  await expect(refused).toHaveCount(0);
  await expect(page.getByTestId('staged-path')).toHaveCount(0);
});
