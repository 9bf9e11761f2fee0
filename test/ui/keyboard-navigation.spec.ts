// Investigators work from the keyboard. QA found: Enter on a finding opened its timeline with the focus thrown onto
// <body> (the finding's button was gone); j/k did nothing in the explorer once its inspector's Formatted/Verbatim
// toggle was used; the explorer's rows had no Tab stop that pointed at one (Enter did nothing) and the timeline's events
// none at all. Every step here is a key press; the checks are what the analyst sees: where the focus is, which row is
// picked and ringed, what the inspector shows. Runs on its own bridge and data folder.
import { expect, test, type Locator, type Page } from '@playwright/test';
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
    const evidence = vendorChain({ baselineDays: 3, sourceIp: IPS.torDe, calls: [{ minutes: 3, action: 'CreateAccessKey' }, { minutes: 5, action: 'AttachUserPolicy' }] });
    await importScenario(b, 'keys.crossline', evidence, 1);
  },
  ready: (own) => ({ page, app } = own),
});

const focused = (): Locator => page.locator(':focus');
const timelineGrid = (): Locator => page.getByRole('grid', { name: 'Events of this chain' });
const explorerSelected = (): Locator => page.locator('[data-testid="explorer-row"][aria-selected="true"]');

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails after `max` presses. Returns what had it on the way. */
async function tabTo(target: Locator, { back = false, max = 30 } = {}): Promise<string[]> {
  const passed: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return passed;
    passed.push(await page.evaluate(() => {
      const el = document.activeElement;
      return `${el?.tagName.toLowerCase()}[role=${el?.getAttribute('role')}] ${el?.textContent?.trim().slice(0, 30)}`;
    }));
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} did not reach the target; the focus went: ${passed.join(' | ')}`);
}

/** The row a list's aria-activedescendant points at must be the one shown ringed. */
async function expectPointsAt(list: Locator, row: Locator): Promise<void> {
  await expect(row).toHaveAttribute('id', /.+/);
  await expect(list).toHaveAttribute('aria-activedescendant', (await row.getAttribute('id'))!);
  await expect(row).toHaveCSS('outline-style', 'solid');
}

test('Enter on a finding opens its timeline with the focus on its events, so j/k step at once', async () => {
  await expect(page.locator('nav [data-nav="findings"] .nav-count')).toBeVisible();
  await page.keyboard.press('Alt+3');
  await expect(app.findings.top).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(app.timeline.rows).toHaveCount(3);
  await expect(timelineGrid()).toBeFocused();
  const first = app.timeline.rows.nth(0);
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expectPointsAt(timelineGrid(), first);

  await page.keyboard.press('j');
  const second = app.timeline.rows.nth(1);
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await expect(app.timeline.inspector).toHaveAttribute('data-event-id', (await second.getAttribute('data-event-id'))!);
  await expect(app.timeline.inspectorAction).toHaveText('CreateAccessKey');
  await expectPointsAt(timelineGrid(), second);
  await expect(timelineGrid()).toBeFocused();

  // Back on the findings (Alt+3), the focus is on the finding just left.
  await page.keyboard.press('Alt+3');
  await expect(app.findings.top).toBeFocused();
});

test('the explorer list is one Tab stop: the arrows move the pick, Enter opens the row pointed at in the inspector', async () => {
  await page.keyboard.press('Alt+7');
  await page.keyboard.press('Alt+5');
  await expect(app.explorer.rows.first()).toBeVisible();
  // From the filters, Tab reaches the list itself, never a row.
  await tabTo(app.explorer.filter('text'), { back: true });
  const passed = await tabTo(app.explorer.list);
  expect(passed.filter((p) => p.includes('[role=row]'))).toEqual([]);

  // Nothing picked yet: the list points at its first row, and Enter opens it.
  const first = app.explorer.rows.nth(0);
  const second = app.explorer.rows.nth(1);
  await expect(explorerSelected()).toHaveCount(0);
  await expectPointsAt(app.explorer.list, first);
  await page.keyboard.press('Enter');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(app.timeline.inspector).toHaveAttribute('data-event-id', (await first.getAttribute('data-event-id'))!);

  await page.keyboard.press('ArrowDown');
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await expect(app.timeline.inspector).toHaveAttribute('data-event-id', (await second.getAttribute('data-event-id'))!);
  await expectPointsAt(app.explorer.list, second);
  await page.keyboard.press('k');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expectPointsAt(app.explorer.list, first);

  // One stop: Tab leaves the list for the inspector, Shift+Tab comes back to it.
  await page.keyboard.press('Tab');
  await expect(focused()).not.toHaveAttribute('role', 'row');
  await expect(app.timeline.inspector.locator(':focus')).toHaveCount(1);
  await page.keyboard.press('Shift+Tab');
  await expect(app.explorer.list).toBeFocused();
});

test('the timeline list is one Tab stop too, pointing at the picked event', async () => {
  await page.keyboard.press('Alt+4');
  await expect(timelineGrid()).toBeFocused();
  const picked = page.locator('[data-testid="timeline-row"][aria-selected="true"]');
  await expectPointsAt(timelineGrid(), picked);
  // Out and back in with Tab: the zoom buttons sit before it, "Show on map" after it.
  await page.keyboard.press('Shift+Tab');
  await expect(focused()).toHaveText('Fit');
  await page.keyboard.press('Tab');
  await expect(timelineGrid()).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(focused()).toHaveText('Show on map');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('ArrowDown');
  await expect(app.timeline.rows.nth(2)).toHaveAttribute('aria-selected', 'true');
  await expect(app.timeline.inspectorAction).toHaveText('AttachUserPolicy');
  await expectPointsAt(timelineGrid(), app.timeline.rows.nth(2));
});

test('after the raw record Formatted/Verbatim toggle, j/k still step through the events', async () => {
  const verbatim = app.timeline.inspector.getByRole('button', { name: 'Verbatim' });
  const formatted = app.timeline.inspector.getByRole('button', { name: 'Formatted' });

  // The explorer: its first row is picked (the test before).
  await page.keyboard.press('Alt+5');
  const rows = app.explorer.rows;
  await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'true');
  await tabTo(verbatim);
  await page.keyboard.press('Enter');
  await expect(verbatim).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('j');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(app.timeline.inspector).toHaveAttribute('data-event-id', (await rows.nth(1).getAttribute('data-event-id'))!);
  await expect(verbatim).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(formatted).toBeFocused();
  await page.keyboard.press('Space');
  await expect(formatted).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('k');
  await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'true');
  await expect(app.timeline.inspector).toHaveAttribute('data-event-id', (await rows.nth(0).getAttribute('data-event-id'))!);

  // The timeline: its last event is picked (the test before).
  await page.keyboard.press('Alt+4');
  await expect(timelineGrid()).toBeFocused();
  await tabTo(verbatim);
  await page.keyboard.press('Space');
  await expect(verbatim).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('k');
  await expect(app.timeline.rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(app.timeline.inspectorAction).toHaveText('CreateAccessKey');
  await expect(app.timeline.rawJson).toContainText('CreateAccessKey');
});

test('a screen switched to with Alt+digit takes the focus, and Tab goes on inside it', async () => {
  for (const [key, screen] of [['Alt+6', 'map'], ['Alt+2', 'import'], ['Alt+7', 'settings'], ['Alt+1', 'start']] as const) {
    await page.keyboard.press('Alt+5');
    await expect(app.explorer.list).toBeFocused();
    await page.keyboard.press(key);
    await expect(page.locator('.shell')).toHaveAttribute('data-screen', screen);
    await expect(page.locator('main')).toBeFocused();
    if (screen === 'map') await expect(app.map.canvas).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(page.locator('main :focus')).toHaveCount(1);
  }
});

test('no console errors or warnings', () => {
  // Chromium's software WebGL reports its own stalls while the map draws: not the app's.
  expect(consoleErrors.filter((m) => !m.includes('GL Driver Message'))).toEqual([]);
});
