// The map's baseline is where the chain's own principal had been. Two guests of one Azure home tenant are two
// people: eve's map must not show mallory's Berlin address as hers, nor a travel line from it. An AWS vendor
// account's baseline (its own earlier calls) is still drawn, with its travel line.
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

/** `principal`: a finding of the sample that must be listed (the suites share a bridge: an earlier one allowlisted another). */
async function openSample(testId: string, name: string, principal: string): Promise<void> {
  await app.go('start');
  await page.getByTestId(testId).click();
  // The case chip names the new case before the nav counts its findings (a count of the case before is still shown).
  await expect(page.getByTestId('case-chip')).toContainText(name, { timeout: 30_000 });
  await expect(app.importer.summary).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
  await expect(page.getByTestId('correlation-summary')).toBeVisible({ timeout: 90_000 });
  await expect(app.jobBar).toHaveCount(0, { timeout: 60_000 });
  await app.go('findings');
  // The findings of the case before stay listed until the new case's are read (slow under a loaded machine).
  await expect(app.findings.all.filter({ hasText: principal })).toHaveCount(1, { timeout: 60_000 });
}

/** Opens the finding of `principal`, then its map from the timeline, as an investigator does. */
async function mapOf(principal: string): Promise<void> {
  await app.go('findings');
  await app.findings.all.filter({ hasText: principal }).first().click();
  await expect(app.timeline.screen).toBeVisible();
  await page.getByRole('button', { name: 'Show on map' }).click();
  await expect(app.map.screen).toBeVisible();
  await expect(page.getByTestId('map-principal')).toHaveText(principal);
  await expect(app.map.map).toHaveAttribute('data-idle', 'true');
  await expect(app.map.chainPoints.first()).toBeVisible();
}

test("eve's map shows no baseline of mallory's, and no travel line from Berlin", async () => {
  test.setTimeout(180_000);
  await openSample('open-sample-globex-multicloud', 'globex-multicloud', 'eve@attacker.example');
  await mapOf('eve@attacker.example');
  const baseline = page.getByTestId('baseline-list');
  await expect(baseline.getByRole('heading')).toHaveText("Principal's baseline (0)");
  await expect(baseline).toContainText('No earlier activity of this principal in the evidence.');
  await expect(page.locator('[data-testid="baseline-point"][data-ip="185.220.101.4"]')).toHaveCount(0);
  await expect(app.map.screen).not.toContainText('Berlin');
  await expect(app.map.map).toHaveAttribute('data-travel-baseline', '0');

  // The address is mallory's own chain source, not anyone's baseline.
  await mapOf('mallory@attacker.example');
  await expect(page.locator('[data-testid="chain-point"][data-ip="185.220.101.4"]')).toBeVisible();
  await expect(page.getByTestId('baseline-list').getByRole('heading')).toHaveText("Principal's baseline (0)");
});

test("an AWS vendor account's map still shows its own earlier sources and the travel from them", async () => {
  test.setTimeout(180_000);
  await openSample('open-sample', 'acme-org', '464622532012');
  await mapOf('464622532012');
  const baseline = page.getByTestId('baseline-list');
  await expect(baseline.getByRole('heading')).toHaveText("Principal's baseline (4)");
  await expect(page.getByTestId('baseline-point')).toHaveCount(4);
  await expect(page.getByTestId('baseline-point').first()).toContainText('Ashburn');
  await expect(app.map.map).toHaveAttribute('data-travel-baseline', '1');
});
