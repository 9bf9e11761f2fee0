// A case file deleted while it is open: the next save is refused (not reported saved and lost with the file), a
// standing warning says why, and the typed note stays a draft. Opening another case clears the warning. The app notices
// on its own too, within seconds, while the analyst only reads.
import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { IPS, ORG, Scenario, at } from '../support/cloudtrail-scenario';
import type { Bridge } from './support/bridge';
import type { AppPage } from './support/pages';
import { importScenario, useOwnApp } from './support/own-app';

test.describe.configure({ mode: 'serial' });

let bridge: Bridge;
let page: Page;
let app: AppPage;
const consoleErrors: string[] = [];

useOwnApp({
  consoleErrors,
  prepare: async (b) => {
    const s = new Scenario().baseline();
    const entry = s.assumeRole({ at: s.t0 + at.HOUR, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/vendor-support`, sessionName: 'vendor-session', sourceIp: IPS.torDe });
    s.call({ at: s.t0 + at.HOUR + 3 * at.MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe });
    await importScenario(b, 'gone.crossline', s.write(), 1);
  },
  ready: (own) => ({ bridge, page, app } = own),
});

test('saving a note after the case file was deleted is refused, said standing, and the note stays a draft', async () => {
  await app.go('findings');
  await app.findings.top.click();
  await expect(app.timeline.rows.first()).toBeVisible();
  const file = join(bridge.dataDir, 'gone.crossline');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });

  const editor = page.getByTestId('annotation-editor');
  await editor.locator('summary').click();
  await editor.getByTestId('annotation-note').fill('Vendor confirmed: not them');
  await editor.getByRole('button', { name: /save/i }).click();

  const banner = page.getByTestId('case-gone');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(`The case file ${file} was deleted, moved or replaced while it was open`);
  await expect(page.getByTestId('unsaved-drafts')).toContainText('1');
  // Other screens stay refused with the same reason, and the warning stays, in the top bar: it covers nothing.
  await app.go('explorer');
  await expect(banner).toBeVisible();
  const box = (await banner.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(44);

  // Another case: the warning is about the case that is gone, not this one.
  await bridge.rpc('case.create', { file: join(bridge.dataDir, 'next.crossline') });
  await page.reload();
  await expect(page.getByTestId('case-chip')).toContainText('next');
  await expect(banner).toHaveCount(0);
});

for (const [what, change] of [
  ['replaced by a copy', (file: string) => { copyFileSync(file, `${file}.copy`); renameSync(`${file}.copy`, file); }],
  ['deleted', (file: string) => { for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true }); }],
] as const) {
  test(`a case file ${what} while the analyst only reads: the warning shows within seconds, nothing clicked`, async () => {
    const name = `watched-${what.split(' ')[0]}`;
    const file = join(bridge.dataDir, `${name}.crossline`);
    await bridge.rpc('case.create', { file });
    await page.reload();
    await expect(page.getByTestId('case-chip')).toContainText(name);
    const banner = page.getByTestId('case-gone');
    await expect(banner).toHaveCount(0);
    change(file);
    await expect(banner).toBeVisible({ timeout: 10_000 });
    await expect(banner).toContainText(`The case file ${file} was deleted, moved or replaced while it was open`);
  });
}
