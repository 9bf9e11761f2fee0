// The import summary in the history's own numbers, as QA met it: after importing the public corpora the summary
// said "236 errors", its list "Problems (153)", and the history "65 out of scope, 171 damaged". Records left out by
// design are not errors: the summary now splits them as the history does, and the list says it counts lines.
import { expect, test } from '@playwright/test';
import { join, resolve } from 'node:path';
import { REPO, startBridge, type Bridge } from './support/bridge';
import { AppPage } from './support/pages';

let bridge: Bridge;
const CORPORA = resolve(REPO, '..', 'shared', 'corpora');

test.beforeAll(async () => {
  test.setTimeout(120_000);
  bridge = await startBridge();
  await bridge.rpc('case.create', { file: join(bridge.dataDir, 'corpora.crossline') });
});

test.afterAll(async () => {
  await bridge?.stop();
});

const count = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));

test('the summary splits out-of-scope from damaged records with the numbers of the history, and counts problem lines as lines', async ({ page }) => {
  test.setTimeout(180_000);
  const app = new AppPage(page);
  await page.goto(bridge.url);
  await app.go('import');
  await page.getByTestId('import-paths').fill(CORPORA);
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
