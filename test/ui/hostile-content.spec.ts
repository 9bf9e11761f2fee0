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

async function rpc(channel: string, body: unknown): Promise<unknown> {
  const url = new URL(bridge.url);
  const res = await fetch(`${url.origin}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-crossline-token': url.searchParams.get('token') ?? '' },
    body: JSON.stringify(body),
  });
  const result = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!result.ok) throw new Error(`${channel}: ${result.error?.message}`);
  return result.value;
}

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
  expect(await page.locator('img[src="x"], svg[onload], [onerror], [onload]').count()).toBe(0);
  const inlineScripts = await page.locator('script').evaluateAll((els) => els.filter((e) => !(e as HTMLScriptElement).src).length);
  expect(inlineScripts).toBe(0);
  await page.waitForTimeout(300);
  expect(dialogs, 'no dialog may open').toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, '20-hostile-timeline.png') });
});
