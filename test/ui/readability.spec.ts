// The timeline, the explorer and the inspector read well on a laptop (1280×800, the main target) and on a desktop
// (1920×1080), with the multi-cloud sample (Azure operation names share long prefixes) and the AWS sample. QA found:
// three or four timeline rows in view, Azure actions cut to "Microsoft.Co…", the annotation editor pushing the table off
// the screen, explorer times cut before the seconds, inspector values broken mid-word, the last axis label cut to
// "12:", and the inspector keeping an event the explorer's new filter excludes. Runs on its own bridge and data folder.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { filterVerdict } from '../../renderer/features/explorer/explorer-screen';
import { endIsDistinctive, wrapPieces } from '../../renderer/ui/format';
import type { EventRow } from '../../shared/ipc/contract';
import type { AppPage } from './support/pages';
import { useOwnApp } from './support/own-app';

test.describe.configure({ mode: 'serial' });

const LAPTOP = { width: 1280, height: 800 };
const DESKTOP = { width: 1920, height: 1080 };

let page: Page;
let app: AppPage;
const consoleErrors: string[] = [];

useOwnApp({ viewport: LAPTOP, consoleErrors, ready: (own) => ({ page, app } = own) });

/** How many of `rows` lie wholly inside the visible part of their scrolling `list`. */
async function rowsInView(list: Locator, rows: Locator): Promise<number> {
  const box = await list.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: Math.min(r.bottom, window.innerHeight) };
  });
  const rects = await rows.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
  return rects.filter((r) => r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5).length;
}

/**
 * Whether the last `tail.length` characters of the element's text are painted in view: not replaced by an ellipsis
 * (at the end of a name cut at its end, or at the start of one cut at its start) nor outside the cell that clips it.
 */
async function tailVisible(el: Locator, tail: string): Promise<boolean> {
  return el.evaluate((node, t) => {
    const text = node.textContent ?? '';
    if (!text.endsWith(t)) return false;
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    let last: Text | null = null;
    while (walker.nextNode()) last = walker.currentNode as Text;
    if (!last || last.length < t.length) return false;
    const range = document.createRange();
    range.setStart(last, last.length - t.length);
    range.setEnd(last, last.length);
    const r = range.getBoundingClientRect();
    const box = node.getBoundingClientRect();
    const cut = node.scrollWidth > node.clientWidth;
    // Cut at the end: the tail is what the ellipsis replaced. Cut at the start: the tail must clear the ellipsis.
    if (cut && getComputedStyle(node).direction !== 'rtl') return false;
    const ellipsis = cut ? 12 : 0;
    if (r.width === 0 || r.left < box.left + ellipsis - 0.5 || r.right > box.right + 0.5) return false;
    let clip = node.parentElement;
    while (clip && getComputedStyle(clip).overflowX === 'visible') clip = clip.parentElement;
    const c = (clip ?? node).getBoundingClientRect();
    return r.left >= c.left - 0.5 && r.right <= c.right + 0.5;
  }, tail);
}

/** Places where the element's text wraps to a new line inside a word (not after a space or a separator). */
async function midWordBreaks(el: Locator): Promise<string[]> {
  return el.evaluate((node) => {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    const chars: { ch: string; top: number }[] = [];
    while (walker.nextNode()) {
      const t = walker.currentNode as Text;
      for (let i = 0; i < t.length; i++) {
        const range = document.createRange();
        range.setStart(t, i);
        range.setEnd(t, i + 1);
        const rects = range.getClientRects();
        const r = rects[rects.length - 1];
        if (r) chars.push({ ch: t.data[i]!, top: r.top });
      }
    }
    const bad: string[] = [];
    const text = chars.map((c) => c.ch).join('');
    for (let i = 1; i < chars.length; i++) {
      const prev = chars[i - 1]!;
      const cur = chars[i]!;
      if (cur.top - prev.top > 4 && !/[\s/.:\-_@=&?,;|\\]/.test(prev.ch) && !/\s/.test(cur.ch)) bad.push(`${text.slice(Math.max(0, i - 12), i)}|${text.slice(i, i + 12)}`);
    }
    return bad;
  });
}

/** How many lines the element's text takes. */
async function lineCount(el: Locator): Promise<number> {
  return el.evaluate((node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  });
}

async function openFinding(principal: string): Promise<void> {
  await app.go('findings');
  await app.findings.all.filter({ hasText: principal }).first().click();
  await expect(app.timeline.rows.first()).toBeVisible();
  await expect(app.timeline.screen.getByTestId('chain-header')).toContainText(principal);
}

test('the helpers: wrap points after separators, which names keep their end, which events a filter excludes', () => {
  expect(wrapPieces('Microsoft.Authorization/roleAssignments/write')).toEqual(['Microsoft.', 'Authorization/', 'roleAssignments/', 'write']);
  expect(wrapPieces('AS60729 Stiftung Erneuerbare Freiheit')).toEqual(['AS60729 Stiftung Erneuerbare Freiheit']);
  expect(wrapPieces('a//b').join('')).toBe('a//b');
  expect(endIsDistinctive('Microsoft.Storage/storageAccounts/listKeys/action')).toBe(true);
  expect(endIsDistinctive('google.iam.admin.v1.CreateServiceAccountKey')).toBe(true);
  expect(endIsDistinctive('AssumeRole')).toBe(false);
  expect(endIsDistinctive('s3:')).toBe(false);

  const row = {
    id: 1, provider: 'azure', nativeId: 'abc-1', timeMs: Date.UTC(2026, 9, 10, 10, 4), timeText: '', service: 'Microsoft.Authorization',
    action: 'Microsoft.Authorization/roleAssignments/write', outcome: 'success', errorCode: null, readOnly: false, principalType: 'User',
    principalName: 'mallory@attacker.example', principalAccount: 'e4d3', targetAccount: '6f1c', sourceIp: '185.220.101.4', sourceService: null,
    userAgent: null, region: null, credentialId: 'tok', country: 'DE', city: 'Berlin', asn: 60729, asOrg: 'Stiftung',
  } satisfies EventRow;
  expect(filterVerdict(row, {})).toBe('yes');
  expect(filterVerdict(row, { action: 'Microsoft.Storage/storageAccounts/listKeys/action' })).toBe('no');
  expect(filterVerdict(row, { action: 'microsoft.authorization/roleassignments/write' }), 'the core may match another case').toBe('unknown');
  expect(filterVerdict(row, { text: 'ROLEASSIGN' })).toBe('yes');
  expect(filterVerdict(row, { text: 'listKeys' })).toBe('no');
  expect(filterVerdict(row, { country: 'GB' })).toBe('no');
  expect(filterVerdict(row, { account: '6f1c', sourceIp: '185.220.101.4', credential: 'tok' })).toBe('yes');
  expect(filterVerdict(row, { toMs: row.timeMs })).toBe('no');
  expect(filterVerdict(row, { principal: 'someone-else-id' }), 'a principal id is not on the row').toBe('unknown');
});

test('opens the multi-cloud sample', async () => {
  test.setTimeout(150_000);
  await app.openSampleCase('open-sample-globex-multicloud');
});

test('timeline at 1280×800: every event of an Azure chain in view, the operations told apart by their ends', async () => {
  await page.setViewportSize(LAPTOP);
  await openFinding('mallory@attacker.example');
  const tl = app.timeline;
  const list = page.getByTestId('timeline-events');
  const total = await tl.rows.count();
  expect(total).toBeGreaterThanOrEqual(5);
  // The whole chain is in view (QA saw three or four rows), the reasons folded to one line above it.
  await expect(page.getByTestId('chain-reasons')).not.toHaveAttribute('open', '');
  expect(await rowsInView(list, tl.rows)).toBe(total);
  await app.screenshot('30-timeline-azure-1280');

  // No one annotated anything: no empty Notes column takes the room.
  await expect(list.locator('th', { hasText: 'Notes' })).toHaveCount(0);
  // Each privileged operation shows its distinguishing end (the full name stays in the cell's title).
  const names = list.locator('[data-role="privileged"] [data-testid="action-name"]');
  const seen = new Set<string>();
  for (const name of await names.all()) {
    const text = (await name.textContent()) ?? '';
    const tail = text.split('/').slice(-2).join('/');
    expect(await tailVisible(name, tail), `"${tail}" of ${text} in view`).toBe(true);
    seen.add(tail);
  }
  expect([...seen].sort()).toEqual(['listKeys/action', 'roleAssignments/write']);
  await expect(list.locator('[data-role="privileged"] td.action').first()).toHaveAttribute('title', /^Microsoft\.Authorization:Microsoft\.Authorization\/roleAssignments\/write/);
  // Times are whole.
  for (const cell of await list.locator('td.time').all()) expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

  // The finding's annotation editor opens over the chart: the table does not move.
  const tableTop = (await list.boundingBox())!.y;
  const editor = page.getByTestId('annotation-editor');
  await editor.locator('summary').click();
  await expect(editor.getByTestId('annotation-note')).toBeVisible();
  expect((await list.boundingBox())!.y).toBe(tableTop);
  expect(await rowsInView(list, tl.rows)).toBe(total);
  // Nothing covers the editor's fields (they take clicks), and the rows still take clicks.
  await editor.getByTestId('annotation-note').click();
  await app.screenshot('31-timeline-azure-1280-annotating');
  await tl.rows.nth(2).click();
  await expect(tl.rows.nth(2)).toHaveAttribute('aria-selected', 'true');
  await editor.locator('summary').click();
  await expect(editor.getByTestId('annotation-note')).toBeHidden();

  // Unfolded, the reasons take at most 30% of the height (eight long ones scroll in their box), and the whole chain
  // stays in view below them.
  await page.getByTestId('chain-reasons').locator('summary').click();
  const reasons = page.locator('.chain-head .reasons');
  await expect(reasons.locator('li').first()).toBeVisible();
  expect((await reasons.boundingBox())!.height).toBeLessThanOrEqual(LAPTOP.height * 0.3 + 1);
  expect(await rowsInView(list, tl.rows)).toBe(total);
  await app.screenshot('32-timeline-azure-1280-reasons');
  // The choice holds for the next chain.
  await openFinding('eve@attacker.example');
  await expect(page.getByTestId('chain-reasons')).toHaveAttribute('open', '');
  await page.getByTestId('chain-reasons').locator('summary').click();
  await expect(page.getByTestId('chain-reasons')).not.toHaveAttribute('open', '');
});

test('the time axis: no tick label runs past the plot, at 1280×800 and 1920×1080', async () => {
  for (const size of [LAPTOP, DESKTOP]) {
    await page.setViewportSize(size);
    for (const who of ['eve@attacker.example', 'mallory@attacker.example', 'runner@evil-corp-prod']) {
      await openFinding(who);
      const axis = app.timeline.axis;
      await expect(axis.getByTestId('tick-label').first()).toBeVisible();
      const overflow = await axis.evaluate((svg) => {
        const right = svg.getBoundingClientRect().right;
        return [...svg.querySelectorAll('[data-testid="tick-label"]')].map((t) => ({ text: t.textContent, over: t.getBoundingClientRect().right - right })).filter((t) => t.over > 0.5);
      });
      expect(overflow, `${who} at ${size.width}`).toEqual([]);
    }
  }
  await app.screenshot('33-timeline-1920');
});

test('explorer at 1280×800: times keep their seconds, Azure operations their ends, principals room', async () => {
  await page.setViewportSize(LAPTOP);
  await app.go('explorer');
  const ex = app.explorer;
  await ex.filter('text').fill('roleAssignments');
  await ex.apply.click();
  await expect(ex.total).toHaveText(/^\d+ matching events/);
  await expect(ex.rows.first()).toBeVisible();
  const rows = await ex.rows.all();
  expect(rows.length).toBeGreaterThan(3);
  for (const row of rows) {
    const cells = row.locator('[role="gridcell"]');
    const time = cells.nth(0);
    await expect(time).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(await time.evaluate((el) => el.scrollWidth <= el.clientWidth), 'the time is not cut').toBe(true);
    const action = cells.nth(1);
    await expect(action).toHaveAttribute('title', 'Microsoft.Authorization/roleAssignments/write');
    expect(await tailVisible(action.getByTestId('action-name'), '/roleAssignments/write'), 'the operation shows its end').toBe(true);
    const principal = cells.nth(2);
    expect((await principal.boundingBox())!.width, 'Principal has room').toBeGreaterThanOrEqual(140);
    if ((await principal.textContent()) === 'alice@acme.example') expect(await principal.evaluate((el) => el.scrollWidth <= el.clientWidth), 'alice@acme.example is whole').toBe(true);
  }
  // No one annotated anything: no Notes column; Outcome is the last and in view.
  await expect(page.locator('.vhead > div', { hasText: 'Notes' })).toHaveCount(0);
  const head = await page.locator('.vhead > div', { hasText: 'Outcome' }).boundingBox();
  const list = await ex.list.boundingBox();
  expect(head!.x + head!.width).toBeLessThanOrEqual(list!.x + list!.width + 1);
  await app.screenshot('34-explorer-azure-1280');
});

test('inspector: values wrap at spaces and separators, never inside a word', async () => {
  const ex = app.explorer;
  // Mallory's role assignment: a long operation name and a network of several words.
  await ex.rows.filter({ hasText: 'mallory@attacker.example' }).first().click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('fields')).toContainText('Stiftung Erneuerbare Freiheit');
  const fields = inspector.getByTestId('fields');
  const value = (label: string) => fields.locator(`dt:text-is("${label}") + dd`);
  // The narrow laptop inspector has to wrap these: the check is not vacuous.
  expect(await lineCount(value('Action'))).toBeGreaterThan(1);
  for (const label of ['Action', 'Network', 'Event id', 'Principal acct', 'Target account', 'Service', 'Principal', 'User agent', 'Time (as logged)']) {
    expect(await midWordBreaks(value(label)), label).toEqual([]);
  }
  expect(await midWordBreaks(inspector.getByTestId('inspector-action'))).toEqual([]);
  // The text itself is unchanged (the break points are <wbr>, not characters).
  await expect(value('Action')).toHaveText('Microsoft.Authorization/roleAssignments/write');
  await app.screenshot('35-inspector-1280');
});

test('explorer: an event selected before a filter that excludes it is marked, and can be let go', async () => {
  const ex = app.explorer;
  const inspector = page.getByTestId('inspector');
  const selected = (await inspector.getAttribute('data-event-id')) ?? '';
  expect(selected).not.toBe('');
  await expect(page.getByTestId('inspector-outside-filter')).toHaveCount(0);
  // Another operation: the role assignment is not among the results.
  await ex.filter('text').fill('');
  await ex.filter('action').fill('Microsoft.Storage/storageAccounts/listKeys/action');
  await ex.apply.click();
  await expect(ex.rows.first()).toBeVisible();
  expect(await ex.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).not.toContain('Microsoft.Authorization/roleAssignments/write');
  await expect(page.getByTestId('inspector-outside-filter')).toContainText('Not in the current filter');
  await expect(inspector).toHaveAttribute('data-outside-filter', 'true');
  await expect(inspector).toHaveAttribute('data-event-id', selected);
  await app.screenshot('36-explorer-outside-filter');
  // A result selected: no mark.
  await ex.rows.first().click();
  await expect(page.getByTestId('inspector-outside-filter')).toHaveCount(0);
  // A filter that matches nothing: marked again; "Deselect" empties the inspector.
  await ex.filter('action').fill('NoSuchOperation');
  await ex.apply.click();
  await expect(ex.total).toHaveText('0 matching events');
  await expect(page.getByTestId('inspector-outside-filter')).toBeVisible();
  await page.getByTestId('inspector-clear').click();
  await expect(inspector).toContainText('Select an event');
  await expect(inspector).not.toHaveAttribute('data-event-id');
  await ex.clear.click();
  await expect(ex.rows.first()).toBeVisible();
});

test('explorer at 1920×1080: every column, whole times and operation names', async () => {
  await page.setViewportSize(DESKTOP);
  const ex = app.explorer;
  await ex.filter('text').fill('Microsoft.');
  await ex.apply.click();
  await expect(ex.rows.first()).toBeVisible();
  for (const label of ['Country', 'Network', 'Outcome']) await expect(page.locator('.vhead > div', { hasText: label })).toBeVisible();
  for (const row of (await ex.rows.all()).slice(0, 20)) {
    const cells = row.locator('[role="gridcell"]');
    expect(await cells.nth(0).evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const name = cells.nth(1).getByTestId('action-name');
    const action = (await cells.nth(1).getAttribute('title')) ?? '';
    expect(await tailVisible(name, action.split('/').slice(-2).join('/')), action).toBe(true);
  }
  await ex.rows.first().click();
  await app.screenshot('37-explorer-azure-1920');
  await ex.clear.click();
});

test('AWS sample at 1280×800: the top chain fits, its actions and sources whole; a Notes column once annotated', async () => {
  test.setTimeout(150_000);
  await page.setViewportSize(LAPTOP);
  await app.go('start');
  await app.start.openSample.click();
  await expect(app.importer.summary).toHaveAttribute('data-status', 'complete', { timeout: 120_000 });
  await expect(page.locator('nav [data-nav="findings"] .nav-count')).toBeVisible({ timeout: 60_000 });
  await expect(app.jobBar).toHaveCount(0, { timeout: 60_000 });
  await app.go('findings');
  await app.findings.top.click();
  const tl = app.timeline;
  const list = page.getByTestId('timeline-events');
  await expect(tl.rows.first()).toBeVisible();
  const total = await tl.rows.count();
  expect(total).toBeGreaterThanOrEqual(8);
  // QA saw three or four rows of this chain at 1280×800.
  expect(await rowsInView(list, tl.rows)).toBeGreaterThanOrEqual(8);
  for (const name of await list.getByTestId('action-name').all()) {
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth), `${await name.textContent()} is whole`).toBe(true);
  }
  // The source and its "new" mark fit.
  for (const cell of await list.locator('tr td:nth-child(5)').all()) expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await app.screenshot('38-timeline-aws-1280');

  // Annotate one event: a Notes column appears, and the chain still fits.
  const row = list.locator('[data-role="privileged"]').first();
  await row.click();
  const onEvent = page.getByTestId('event-annotation');
  await onEvent.locator('summary').click();
  await onEvent.getByTestId('annotation-verdict').selectOption('needs-review');
  await onEvent.getByTestId('annotation-save').click();
  await expect(onEvent.getByTestId('annotation-saved')).toBeVisible();
  await expect(list.locator('th', { hasText: 'Notes' })).toHaveCount(1);
  await expect(row.getByTestId('row-verdict')).toBeVisible();
  expect(await rowsInView(list, tl.rows)).toBeGreaterThanOrEqual(8);
  await app.screenshot('39-timeline-aws-1280-notes');

  await app.go('explorer');
  await expect(app.explorer.rows.first()).toBeVisible();
  for (const row of (await app.explorer.rows.all()).slice(0, 20)) {
    expect(await row.locator('[role="gridcell"]').first().evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  }
  await app.screenshot('40-explorer-aws-1280');
  await page.setViewportSize(DESKTOP);
  await app.go('timeline');
  await expect(tl.rows.first()).toBeVisible();
  expect(await rowsInView(list, tl.rows)).toBe(total);
  await app.screenshot('41-timeline-aws-1920');
});

test('no console errors or warnings', () => {
  expect(consoleErrors).toEqual([]);
});
