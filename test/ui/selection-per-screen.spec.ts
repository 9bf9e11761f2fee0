// The explorer and a chain's timeline each remember the event picked on them. One selection for both had made the
// explorer forget its row, and its inspector ("Select an event"), once an event was picked in the timeline.
import { expect, test, type Page } from '@playwright/test';
import { IPS } from '../support/cloudtrail-scenario';
import type { AppPage } from './support/pages';
import { importScenario, useOwnApp, vendorChain } from './support/own-app';

test.describe.configure({ mode: 'serial' });

let page: Page;
let app: AppPage;
const consoleErrors: string[] = [];

useOwnApp({
  consoleErrors,
  prepare: async (b) => {
    const evidence = vendorChain({ baselineDays: 3, sourceIp: IPS.torDe, calls: [{ minutes: 3, action: 'CreateAccessKey' }, { minutes: 5, action: 'AttachUserPolicy' }] });
    await importScenario(b, 'picks.crossline', evidence, 1);
  },
  ready: (own) => ({ page, app } = own),
});

test('an event picked in the explorer is still its selection, inspector and all, after another is picked in the timeline', async () => {
  const inspector = page.getByTestId('inspector');
  const selectedInExplorer = page.locator('[data-testid="explorer-row"][aria-selected="true"]');

  // The explorer: a row of the baseline, which is in no chain.
  await app.go('explorer');
  const row = app.explorer.rows.filter({ hasText: 'DescribeVpcs' }).first();
  await row.click();
  const explorerPick = (await row.getAttribute('data-event-id'))!;
  await expect(inspector).toHaveAttribute('data-event-id', explorerPick);
  await expect(page.getByTestId('inspector-action')).toHaveText('DescribeVpcs');

  // The chain's timeline: its last call picked.
  await app.go('findings');
  await app.findings.top.click();
  await expect(app.timeline.rows).toHaveCount(3);
  const last = app.timeline.rows.last();
  await last.click();
  const timelinePick = (await last.getAttribute('data-event-id'))!;
  await expect(app.timeline.selectedRow).toHaveAttribute('data-event-id', timelinePick);
  await expect(inspector).toHaveAttribute('data-event-id', timelinePick);
  await expect(page.getByTestId('inspector-action')).toHaveText('AttachUserPolicy');

  // Back in the explorer: its own row is still selected, and its inspector shows that row.
  await app.go('explorer');
  await expect(selectedInExplorer).toHaveCount(1);
  await expect(selectedInExplorer).toHaveAttribute('data-event-id', explorerPick);
  await expect(inspector).toHaveAttribute('data-event-id', explorerPick);
  await expect(page.getByTestId('inspector-action')).toHaveText('DescribeVpcs');
  await expect(inspector.getByTestId('raw-json')).toContainText('"eventName": "DescribeVpcs"');

  // Another row picked here, and the timeline still shows its own.
  await app.explorer.rows.filter({ hasText: 'ListBuckets' }).first().click();
  await expect(page.getByTestId('inspector-action')).toHaveText('ListBuckets');
  await app.go('timeline');
  await expect(app.timeline.selectedRow).toHaveAttribute('data-event-id', timelinePick);
  await expect(inspector).toHaveAttribute('data-event-id', timelinePick);
  await expect(page.getByTestId('inspector-action')).toHaveText('AttachUserPolicy');
  await app.go('explorer');
  await expect(page.getByTestId('inspector-action')).toHaveText('ListBuckets');
});

test('no console errors or warnings', () => {
  expect(consoleErrors).toEqual([]);
});
