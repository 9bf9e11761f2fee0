// What the findings screen says the findings are worth, as QA met it: an import of the sample cancelled part way read
// as "No AN1348 chains". Now a case never correlated says "Not analysed yet" with the way to run it, a cancelled import
// is named above the findings until a complete run of it, and the import screen shows the case's import history after
// the page is opened again. Then the layout: many coverage warnings fold by kind, so the first finding stays on screen.
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, startBridge, type Bridge } from './support/bridge';
import { AppPage } from './support/pages';

test.describe.configure({ mode: 'serial' });

let bridge: Bridge;
let caseFile: string;
const SAMPLE = join(REPO, 'resources', 'samples', 'acme-org');

const rpc = <T = unknown>(channel: string, body: unknown): Promise<T> => bridge.rpc<T>(channel, body);

async function importPath(app: AppPage, path = SAMPLE): Promise<void> {
  await app.go('import');
  await app.page.getByTestId('import-paths').fill(path);
  await app.page.getByRole('button', { name: /Add paths/ }).click();
  await app.page.getByTestId('start-import').click();
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  bridge = await startBridge();
  caseFile = join(bridge.dataDir, 'cancelled.crossline');
  await rpc('case.create', { file: caseFile });
});

test.afterAll(async () => {
  await bridge?.stop();
});

test('a cancelled import is not "nothing found": not analysed, the import named, its history after reopening', async ({ page }) => {
  test.setTimeout(240_000);
  const app = new AppPage(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(bridge.url);
  await importPath(app);
  // Cancel once events are being stored, as QA did after about 1.5 s.
  const stored = app.importer.progress.locator('.stat', { has: page.locator('span', { hasText: /^events$/ }) }).locator('b');
  await expect.poll(async () => Number(((await stored.textContent()) ?? '0').replace(/\D/g, '')), { timeout: 60_000, intervals: [50] }).toBeGreaterThan(0);
  await page.getByTestId('cancel-import').click();
  await expect(app.importer.summary).toHaveAttribute('data-status', 'cancelled');

  await app.go('findings');
  await expect(page.getByRole('heading', { name: 'Not analysed yet' })).toBeVisible();
  await expect(page.getByText(/^The correlator has not run on this case's [\d,]+ events, so no AN1348 chain has been looked for/)).toBeVisible();
  await expect(page.getByText('No AN1348 chains')).toHaveCount(0);
  const notice = page.getByTestId('analysis-notice');
  await expect(notice).toContainText(`Import 1 of ${SAMPLE}`);
  await expect(notice).toContainText(/was cancelled after storing [\d,]+ new events from [\d,]+ files: part of its evidence may be missing from the case, and findings with it/);
  await app.screenshot('50-cancelled-import-not-analysed');

  // Opened again (a fresh page reads the case from the core): the import screen keeps the history.
  await page.reload();
  await app.go('import');
  const run = page.getByTestId('import-run');
  await expect(run).toHaveCount(1);
  await expect(run).toHaveAttribute('data-status', 'cancelled');
  await expect(run).toContainText('cancelled — evidence may be missing');
  await expect(page.getByTestId('problem-totals')).toHaveText('Problems: none.');

  // Analysing the part that is there: findings, or none, but the cancelled import is still named.
  await app.go('findings');
  await page.getByTestId('run-analysis').click();
  await expect(page.getByText(/^correlated \d{4}-/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'Not analysed yet' })).toHaveCount(0);
  await expect(notice).toContainText('was cancelled');

  // The same import run to the end: the warning goes, and the sample's three critical chains are there.
  await importPath(app);
  await expect(app.importer.summary).toHaveAttribute('data-status', 'complete', { timeout: 120_000 });
  await expect(page.getByTestId('import-run')).toHaveCount(2);
  await expect(page.getByTestId('import-run').nth(1)).toHaveAttribute('data-status', 'complete');
  await expect(page.getByTestId('import-run').first()).not.toContainText('evidence may be missing');
  await app.go('findings');
  await expect(page.locator('[data-testid="finding"][data-severity="critical"]')).toHaveCount(3);
  await expect(notice).toHaveCount(0);

  // A file with records left out by design and a damaged line: the history groups its problems by kind and reason.
  const odd = mkdtempSync(join(tmpdir(), 'crossline-odd-'));
  try {
    const audit = (n: number) => JSON.stringify({ time: '2026-10-02T10:00:00Z', resourceId: '/tenants/6f1c3a2e-8b4d-4e7a-9c15-2d3e4f5a6b7c/providers/Microsoft.aadiam', operationName: 'Add member to role', category: 'AuditLogs', properties: { id: `Directory_${n}`, activityDisplayName: 'Add member to role' } });
    writeFileSync(join(odd, 'azure-signin-audit.jsonl'), `${[audit(1), audit(2), '{"eventVersion": oops}'].join('\n')}\n`);
    await importPath(app, odd);
    await expect(app.importer.summary).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
    // The import's correlation runs on after its summary shows: the next test rewrites the latest run's warnings.
    await expect(app.jobBar).toHaveCount(0, { timeout: 60_000 });
    await expect(page.getByTestId('problem-totals')).toHaveText('Problems: 2 records out of scope (not sign-in or control-plane audit records), 1 damaged or unreadable record or file.');
    const groups = page.getByTestId('problem-group');
    await expect(groups).toHaveCount(2);
    await expect(groups.first()).toHaveAttribute('data-kind', 'out-of-scope');
    await expect(groups.first()).toContainText('an Entra ID audit / directory record');
    await expect(groups.first()).toContainText(`${join(odd, 'azure-signin-audit.jsonl')} (line 1, record 1)`);
    await expect(groups.nth(1)).toHaveAttribute('data-kind', 'damaged');
    await page.getByTestId('problem-groups').scrollIntoViewIfNeeded();
    await expect(page.getByTestId('problem-groups').getByRole('columnheader', { name: 'Reason' })).toBeInViewport();
    await app.screenshot('52-import-history');
  } finally {
    rmSync(odd, { recursive: true, force: true });
  }
});

/** Coverage warnings as a run over 11 Entra tenants and 4 GCP projects stores them: 37, about three lines each. */
function manyWarnings(): { kind: string; scope: string; message: string }[] {
  const tenant = (i: number) => `0000000${i}-8b4d-4e7a-9c15-2d3e4f5a6b7c`.slice(-36);
  const out: { kind: string; scope: string; message: string }[] = [];
  for (let i = 0; i < 11; i++) out.push({ kind: 'entra-no-noninteractive', scope: `tenant:${tenant(i)}`, message: `The Entra ID sign-in logs of tenant ${tenant(i)} hold no non-interactive user sign-ins (only SignInLogs): token refreshes, and the sessions of guests and partners that go on without a prompt, are missing, so chains that start with one cannot be seen and later tokens of a session cannot be linked. Export NonInteractiveUserSignInLogs too.` });
  for (let i = 0; i < 11; i++) out.push({ kind: 'entra-no-service-principal', scope: `tenant:${tenant(i)}`, message: `The Entra ID sign-in logs of tenant ${tenant(i)} hold no service principal sign-ins: another tenant's app signing in (a foreign service principal) cannot be seen. Export ServicePrincipalSignInLogs too.` });
  for (let i = 0; i < 11; i++) out.push({ kind: 'short-coverage', scope: `tenant:${tenant(i)}`, message: `Entra tenant ${tenant(i)} has only 3 hours of events (41 events, 2026-10-19T14:00Z to 2026-10-19T17:00Z): too little history to tell familiar networks from new ones there.` });
  for (let i = 0; i < 4; i++) out.push({ kind: 'gcp-no-data-access', scope: `project:acme-prod-${i}`, message: `Project acme-prod-${i} has Admin Activity audit logs but no Data Access logs: service account impersonation (GenerateAccessToken, GenerateIdToken, SignJwt, SignBlob), workload identity federation (ExchangeToken) and secret reads are written only there, so those entries are invisible. Enable and export Data Access logs.` });
  return out;
}

test('37 coverage warnings fold into one line per kind: the first finding is on screen at 1280×800', async ({ page }) => {
  const db = new Database(caseFile);
  try {
    db.prepare('UPDATE correlation_runs SET coverage = ? WHERE id = (SELECT max(id) FROM correlation_runs)').run(JSON.stringify(manyWarnings()));
  } finally {
    db.close();
  }
  const app = new AppPage(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(bridge.url);
  await app.go('findings');
  const warnings = page.getByTestId('coverage-warnings');
  await expect(warnings).toContainText('what the evidence cannot show (37)');
  const kinds = page.getByTestId('coverage-kind');
  await expect(kinds).toHaveCount(4);
  await expect(kinds.first().locator('summary')).toContainText('Entra sign-ins without non-interactive sign-ins11 warnings');
  await expect(app.findings.top).toBeInViewport();
  expect((await app.findings.top.boundingBox())!.y + 40).toBeLessThan(800);
  await app.screenshot('51-coverage-warnings-folded');
  // Every warning is one click away, in full.
  await kinds.nth(3).locator('summary').click();
  await expect(kinds.nth(3).locator('li')).toHaveCount(4);
  await expect(kinds.nth(3).locator('li').first()).toContainText('project:acme-prod-0: Project acme-prod-0 has Admin Activity audit logs but no Data Access logs');
});
