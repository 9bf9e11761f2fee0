// The explorer and a chain's timeline each remember the event picked on them. One selection for both had made the
// explorer forget its row, and its inspector ("Select an event"), once an event was picked in the timeline.
import { expect, test, type Page } from '@playwright/test';
import { IPS, ORG, Scenario, at } from '../support/cloudtrail-scenario';
import type { AppPage } from './support/pages';
import { importScenario, useOwnApp } from './support/own-app';

test.describe.configure({ mode: 'serial' });

let page: Page;
let app: AppPage;
const consoleErrors: string[] = [];

useOwnApp({
  consoleErrors,
  prepare: async (b) => {
    const s = new Scenario().baseline(3);
    const entry = s.assumeRole({ at: s.t0 + at.HOUR, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/vendor-support`, sessionName: 'vendor-session', sourceIp: IPS.torDe });
    s.call({ at: s.t0 + at.HOUR + 3 * at.MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe });
    s.call({ at: s.t0 + at.HOUR + 5 * at.MIN, session: entry.session, source: 'iam', action: 'AttachUserPolicy', sourceIp: IPS.torDe });
    await importScenario(b, 'picks.crossline', s.write(), 1);
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
