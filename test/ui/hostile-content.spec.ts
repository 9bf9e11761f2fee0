// Log content is hostile: a case whose role name, session name, user agent and request parameters carry script
// payloads is imported through the real core, and the app must show them as text. Any dialog (alert) fails the
// test; the timeline and the raw record panel show the literal payloads; no element comes from them. Runs on its
// own bridge and data folder so the investigation suite's case is untouched.
import { expect, test } from '@playwright/test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startBridge, type Bridge } from './support/bridge';
import { AppPage, SCREENSHOTS } from './support/pages';
import { PAYLOADS, hostileEvidence } from '../support/hostile-evidence';

let bridge: Bridge;
let evidenceDir: string;

const rpc = <T = unknown>(channel: string, body: unknown): Promise<T> => bridge.rpc<T>(channel, body);

test.beforeAll(async () => {
  test.setTimeout(120_000);
  bridge = await startBridge();
  const { dir, evidence } = hostileEvidence();
  evidenceDir = dir;
  await rpc('case.create', { file: join(bridge.dataDir, 'hostile.crossline') });
  await rpc('import.start', { paths: [evidence] });
  await expect.poll(async () => ((await rpc('findings.list', {})) as unknown[]).length, { timeout: 60_000 }).toBe(1);
});

test.afterAll(async () => {
  await bridge?.stop();
  if (evidenceDir) rmSync(evidenceDir, { recursive: true, force: true });
});

test('payloads in the evidence render as text: no dialog, literal text in the timeline and the raw record', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  const app = new AppPage(page);
  await page.goto(bridge.url);
  await app.go('findings');
  await expect(app.findings.top).toBeVisible();
  await app.findings.top.click();
  const tl = app.timeline;
  await expect(tl.rows.first()).toBeVisible();
  await expect(tl.rawJson).toContainText('"eventID"');
  // The entry's raw record holds the session name, the role name and the user agent, as text.
  const entryRaw = (await tl.rawJson.textContent()) ?? '';
  for (const p of [PAYLOADS.script, PAYLOADS.img]) expect(entryRaw).toContain(p);
  expect(entryRaw).toContain(PAYLOADS.svg.replace(/"/g, '\\"'));
  expect(await tl.rawJson.evaluate((el) => el.children.length)).toBe(0);
  // The privileged call's request parameters.
  await page.locator('[data-testid="timeline-row"][data-role="privileged"]').first().click();
  await expect(tl.rawJson).toContainText('requestParameters');
  await expect(tl.rawJson).toContainText(PAYLOADS.script);
  await expect(tl.rawJson).toContainText(PAYLOADS.img);
  // The screen shows the hostile strings as text somewhere (timeline principal / user agent / role), never as elements.
  await expect(page.locator('body')).toContainText(PAYLOADS.script);
  // A right-to-left override in a user agent is shown by its code point, in the fields and the raw record, so
  // "\u202Elive" reads as stored, not as "evil".
  await page.locator('[data-testid="timeline-row"]', { hasText: 'AttachUserPolicy' }).first().click();
  await expect(page.getByTestId('fields')).toContainText('curl/8.4 ⟦U+202E⟧live');
  await expect(tl.rawJson).toContainText('curl/8.4 ⟦U+202E⟧live');
  expect(await page.locator('body').textContent()).not.toContain('\u202E');
  expect(await page.locator('img[src="x"], svg[onload], [onerror], [onload]').count()).toBe(0);
  const inlineScripts = await page.locator('script').evaluateAll((els) => els.filter((e) => !(e as HTMLScriptElement).src).length);
  expect(inlineScripts).toBe(0);
  await page.waitForTimeout(300);
  expect(dialogs, 'no dialog may open').toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, '20-hostile-timeline.png') });
});

test('a case already open at start-up: the whole-case overview, plain-word filter checks, an explained empty verdict filter', async ({ page }) => {
  const app = new AppPage(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(bridge.url);
  await app.go('findings');
  await expect(app.findings.top).toBeVisible();
  // No finding has a verdict: the filter says why the list is empty instead of leaving a blank page.
  await page.getByTestId('verdict-filter').selectOption('benign');
  await expect(page.getByText('No findings with verdict “benign”')).toBeVisible();
  await expect(page.getByText('1 finding(s) hidden by the verdict filter above.')).toBeVisible();
  await page.getByTestId('verdict-filter').selectOption('all');
  await app.findings.top.click();
  // The overview of the whole case is there for the case the app found open (it loaded before the case was known).
  await expect(page.getByLabel('Whole case overview')).toBeVisible();
  // On a laptop the reasons start folded to one line (the event table needs the height); unfolded, every reason of
  // the chain is readable without scrolling its box, the score's sum among them.
  await expect(page.getByTestId('chain-reasons')).not.toHaveAttribute('open', '');
  await page.getByTestId('chain-reasons').locator('summary').click();
  const reasons = page.locator('.chain-head .reasons');
  await expect(reasons.getByText(/^Score \d+ of 100: entry 20/)).toBeVisible();
  expect(await reasons.evaluate((el) => el.scrollHeight <= el.clientHeight)).toBe(true);

  await app.go('explorer');
  const ex = app.explorer;
  await expect(ex.total).toContainText('matching events');
  const everything = await ex.total.textContent();
  await ex.filter('asn').fill('Hetzner');
  await ex.filter('country').fill('Germany');
  await ex.apply.click();
  const problems = page.getByTestId('filter-problems');
  await expect(problems).toContainText('ASN: a number such as AS16509, not “Hetzner”');
  await expect(problems).toContainText('Country: a two-letter code such as DE, not “Germany”');
  await expect(ex.total).toHaveText(everything!, { timeout: 2000 });
  await expect(ex.filter('asn'), 'the typed value stays for correcting').toHaveValue('Hetzner');
  // Times are typed as UTC in the app's own order, not the browser's locale; a locale date is named as the problem.
  await ex.filter('asn').fill('');
  await ex.filter('country').fill('');
  await expect(ex.filter('from')).toHaveAttribute('placeholder', 'YYYY-MM-DD HH:MM:SS');
  await ex.filter('from').fill('11/24/2026');
  await ex.apply.click();
  await expect(problems).toHaveText('From: a UTC time such as 2026-10-19 14:05, not “11/24/2026”');
  await ex.filter('from').fill('2100-01-01');
  await ex.apply.click();
  await expect(problems).toHaveCount(0);
  await expect(ex.total).toHaveText('0 matching events');
  await expect(ex.filter('from')).toHaveValue('2100-01-01 00:00:00');
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(ex.total).toHaveText(everything!);
  // At 1280 wide the Outcome column is in view, its title over its cells.
  const head = page.locator('.vhead > div', { hasText: 'Outcome' });
  await expect(head).toBeVisible();
  const list = await ex.list.boundingBox();
  const box = await head.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(list!.x + list!.width + 1);
});
