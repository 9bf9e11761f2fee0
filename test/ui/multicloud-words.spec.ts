// The Azure and GCP sample in each cloud's own words: a later sign-in of an Entra session is not a "role hop", and a
// finding of a cloud without a known-vendor list is not tagged "unknown party" (nobody looked its caller up).
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { AppPage } from './support/pages';

test.describe.configure({ mode: 'serial' });
let page: Page;
let app: AppPage;

test.beforeAll(async ({ browser, bridge }) => {
  page = await browser.newPage();
  app = new AppPage(page);
  await page.goto(bridge.url);
});

test.afterAll(async () => {
  await page.close();
});

test('opens the multicloud sample', async () => {
  test.setTimeout(180_000);
  await app.go('start');
  await page.getByTestId('open-sample-globex-multicloud').click();
  await expect(page.locator('nav [data-nav="findings"] .nav-count')).toBeVisible({ timeout: 90_000 });
  await expect(app.jobBar).toHaveCount(0, { timeout: 60_000 });
  await app.go('findings');
  await expect(app.findings.all).toHaveCount(3);
});

test('Azure and GCP findings carry no "unknown party" tag', async () => {
  await expect(app.findings.list).not.toContainText('unknown party');
  await expect(page.getByTestId('finding-unknown-party')).toHaveCount(0);
});

test("the guest's chain calls its later sign-in a later sign-in, in the legend, the row and the inspector", async () => {
  await app.findings.all.filter({ hasText: 'eve@attacker.example' }).click();
  await expect(app.timeline.screen).toBeVisible();
  await expect(page.getByTestId('legend-hop')).toHaveText('later sign-in');
  const later = page.locator('[data-testid="timeline-row"][data-role="assume"]');
  await expect(later).toHaveCount(1);
  await expect(later).toContainText('later sign-in');
  await later.click();
  await expect(page.getByTestId('inspector-role')).toHaveText('Later sign-in');
  await expect(app.timeline.screen).not.toContainText('role hop');
});

test("the GCP chain's legend names impersonation hops", async () => {
  await app.go('findings');
  await app.findings.all.filter({ hasText: 'runner@evil-corp-prod' }).click();
  await expect(page.getByTestId('legend-hop')).toHaveText('impersonation hop');
  await expect(app.timeline.screen).not.toContainText('role hop');
});

test("mallory's chain marks the Started record of each Azure operation as its start, not as a call of its own", async () => {
  await app.go('findings');
  await app.findings.all.filter({ hasText: 'mallory@attacker.example' }).click();
  await expect(app.timeline.screen).toBeVisible();
  const starts = page.locator('[data-testid="timeline-row"]', { has: page.getByTestId('stage-tag') });
  await expect(starts).toHaveCount(2); // the two privileged writes, each Started then Succeeded
  await expect(starts.first().getByTestId('stage-tag')).toHaveAttribute('title', /^Start of the operation ended by \S+: counted once/);
});
