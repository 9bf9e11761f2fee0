// Counts the app writes say "1 event", not "1 events": a chain whose second privileged call came from another network
// (a source of one event) on the map's list of sources, the timeline's header and its list. Reasons are the core's
// own words and are not checked here. Runs on its own bridge, data folder and small case.
import { expect, test, type Page } from '@playwright/test';
import { IPS } from '../support/cloudtrail-scenario';
import type { AppPage } from './support/pages';
import { importScenario, useOwnApp, vendorChain } from './support/own-app';

test.describe.configure({ mode: 'serial' });

let page: Page;
let app: AppPage;
const consoleErrors: string[] = [];

useOwnApp({
  viewport: { width: 1280, height: 800 },
  consoleErrors,
  prepare: async (b) => {
    // A vendor's role assumption from Berlin, a key minted from there, a policy attached from Amsterdam.
    const evidence = vendorChain({ sourceIp: IPS.torDe, calls: [{ minutes: 3, action: 'CreateAccessKey' }, { minutes: 4, action: 'AttachUserPolicy', sourceIp: IPS.volumeNl }] });
    await importScenario(b, 'map-counts.crossline', evidence, 1);
  },
  ready: (own) => ({ page, app } = own),
});

test('a source of one event says "1 event" on the map; two say "2 events"', async () => {
  await app.go('findings');
  await app.findings.top.click();
  await expect(app.timeline.rows.first()).toBeVisible();
  await page.getByRole('button', { name: 'Show on map' }).click();
  await expect(app.map.screen).toBeVisible();
  const amsterdam = page.locator(`[data-testid="chain-point"][data-ip="${IPS.volumeNl}"]`);
  const berlin = page.locator(`[data-testid="chain-point"][data-ip="${IPS.torDe}"]`);
  await expect(amsterdam).toHaveText(/ · 1 event$/);
  await expect(berlin).toHaveText(/ · 2 events$/);
  await expect(page.locator('.map-side')).not.toContainText(/\b1 events\b/);
  await app.screenshot('map-counts-01-sources');
});

test('the timeline filtered to that source: "1 of 3 events", and the header counts the chain', async () => {
  await page.locator(`[data-testid="chain-point"][data-ip="${IPS.volumeNl}"]`).click();
  await page.getByRole('button', { name: 'Open timeline' }).click();
  await expect(app.timeline.rows).toHaveCount(1);
  await expect(page.locator('.list-status').first()).toContainText('1 of 3 events');
  await expect(page.getByTestId('chain-entry')).toContainText('· 3 events ·');
});

test('no console errors or warnings', () => {
  // Software WebGL reports its own stalls while the map draws; those are the GPU driver's, not the app's.
  expect(consoleErrors.filter((m) => !m.includes('GL Driver Message'))).toEqual([]);
});
