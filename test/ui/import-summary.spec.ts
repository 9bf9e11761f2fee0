// The import summary in the history's own numbers, as QA met it: after importing the public corpora the summary
// said "236 errors", its list "Problems (153)", and the history "65 out of scope, 171 damaged". Records left out by
// design are not errors: the summary now splits them as the history does, and the list says it counts lines. The
// evidence is made here (Entra audit records, out of scope, and damaged lines), so the test runs without the corpora.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridge, type Bridge } from './support/bridge';
import { AppPage } from './support/pages';

let bridge: Bridge;
let evidence: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  bridge = await startBridge();
  await bridge.rpc('case.create', { file: join(bridge.dataDir, 'mixed.crossline') });
  evidence = mkdtempSync(join(tmpdir(), 'crossline-mixed-'));
  // 30 Entra audit records (one file's records past the first few with one reason share one problem line), then 4
  // damaged lines, beside a CloudTrail file that imports.
  const audit = (n: number) => JSON.stringify({ time: '2026-10-02T10:00:00Z', resourceId: '/tenants/6f1c3a2e-8b4d-4e7a-9c15-2d3e4f5a6b7c/providers/Microsoft.aadiam', operationName: 'Add member to role', category: 'AuditLogs', properties: { id: `Directory_${n}`, activityDisplayName: 'Add member to role' } });
  const lines = [...Array.from({ length: 30 }, (_, i) => audit(i)), ...Array.from({ length: 4 }, () => '{"eventVersion": oops}')];
  writeFileSync(join(evidence, 'azure-signin-audit.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(join(evidence, 'cloudtrail.json'), JSON.stringify({ Records: [{ eventVersion: '1.08', eventTime: '2026-10-02T10:00:00Z', eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', eventID: 'mixed-1', awsRegion: 'us-east-1', sourceIPAddress: '81.2.69.142', recipientAccountId: '111111111111', userIdentity: { type: 'IAMUser', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/a' } }] }));
});

test.afterAll(async () => {
  await bridge?.stop();
  if (evidence) rmSync(evidence, { recursive: true, force: true });
});

const count = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));

test('the summary splits out-of-scope from damaged records with the numbers of the history, and counts problem lines as lines', async ({ page }) => {
  test.setTimeout(180_000);
  const app = new AppPage(page);
  await page.goto(bridge.url);
  await app.go('import');
  await page.getByTestId('import-paths').fill(evidence);
  await page.getByRole('button', { name: /Add paths/ }).click();
  await page.getByTestId('start-import').click();
  await expect(app.importer.summary).toHaveAttribute('data-status', 'complete', { timeout: 120_000 });

  // The history below says it in words: "N records out of scope (…), M damaged or unreadable records or files."
  const totals = page.getByTestId('problem-totals');
  await expect(totals).toContainText('out of scope');
  const words = /Problems: ([\d,]+) records out of scope .*, ([\d,]+) damaged or unreadable records or files/.exec((await totals.textContent()) ?? '');
  expect(words, 'the history names both kinds').not.toBeNull();
  const [outOfScope, damaged] = [count(words![1]!), count(words![2]!)];
  expect(outOfScope).toBeGreaterThan(0);
  expect(damaged).toBeGreaterThan(0);

  const stat = (label: string) => app.importer.summary.locator('.stat', { has: page.locator('span', { hasText: new RegExp(`^${label}$`) }) }).locator('b');
  await expect(stat('out of scope')).toHaveText(outOfScope.toLocaleString('en-US'));
  await expect(stat('damaged or unreadable')).toHaveText(damaged.toLocaleString('en-US'));
  await expect(stat('errors')).toHaveCount(0);

  // The list counts lines, and says how many records they stand for, in the same split.
  const lines = await app.importer.problems.locator('tbody tr').count();
  await expect(app.importer.summary.getByRole('heading', { name: /^Problem lines/ })).toHaveText(`Problem lines (${lines})`);
  await expect(page.getByTestId('problem-lines-note')).toContainText(
    `${lines} lines for ${(outOfScope + damaged).toLocaleString('en-US')} records (${outOfScope.toLocaleString('en-US')} out of scope, ${damaged.toLocaleString('en-US')} damaged or unreadable)`,
  );
  await app.screenshot('61-import-summary-split');
});
