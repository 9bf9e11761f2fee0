// A QA walk through both samples at 1280×800 found: timeline rows hiding the category and the Azure "start" stage of a
// long action (so an operation's Started and final records looked like the same row twice); principals cut at their end
// ("OrganizationAccou…"), losing the session or user; the unfolded reasons leaving six rows of events; explorer filters
// carried into the next case ("0 matching events" in a case of 15,031); the export path thrown back into the data folder
// when the format changed, and "rows" counted for a report; Clear disabled beside a time that could not be read.
// Runs on its own bridge and data folder.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bridge } from './support/bridge';
import type { AppPage } from './support/pages';
import { useOwnApp } from './support/own-app';

test.describe.configure({ mode: 'serial' });

const LAPTOP = { width: 1280, height: 800 };

let bridge: Bridge;
let page: Page;
let app: AppPage;
const consoleErrors: string[] = [];

useOwnApp({ viewport: LAPTOP, consoleErrors, ready: (own) => ({ bridge, page, app } = own) });

/**
 * Whether the element is painted: it has a size and lies wholly inside every box between it and its table row that
 * clips what overflows (a tag wrapped onto a line that a fixed-height box hides is not).
 */
async function painted(el: Locator): Promise<boolean> {
  return el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    for (let box = node.parentElement; box && box.tagName !== 'TR' && box.getAttribute('role') !== 'row'; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const c = box.getBoundingClientRect();
      if (r.left < c.left - 0.5 || r.right > c.right + 0.5 || r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5) return false;
    }
    return true;
  });
}

/** The characters of a one-line name that are painted: inside its box and clear of the ellipsis, at either end. */
async function shownText(el: Locator): Promise<string> {
  return el.evaluate((node) => {
    const box = node.getBoundingClientRect();
    const cut = node.scrollWidth > node.clientWidth;
    const atStart = getComputedStyle(node).direction === 'rtl';
    const ellipsis = cut ? 12 : 0;
    const left = box.left + (atStart ? ellipsis : 0);
    const right = box.right - (atStart ? 0 : ellipsis);
    let shown = '';
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const t = walker.currentNode as Text;
      for (let i = 0; i < t.length; i++) {
        const range = document.createRange();
        range.setStart(t, i);
        range.setEnd(t, i + 1);
        const r = range.getBoundingClientRect();
        if (r.width > 0 && r.left >= left - 0.5 && r.right <= right + 0.5) shown += t.data[i];
      }
    }
    return shown;
  });
}

/** How many of `rows` lie wholly inside the visible part of their scrolling `list`. */
async function rowsInView(list: Locator, rows: Locator): Promise<number> {
  const box = await list.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: Math.min(r.bottom, window.innerHeight) };
  });
  const rects = await rows.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
  return rects.filter((r) => r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5).length;
}

async function openFinding(principal: string): Promise<void> {
  await app.go('findings');
  await app.findings.all.filter({ hasText: principal }).first().click();
  await expect(app.timeline.rows.first()).toBeVisible();
  await expect(app.timeline.screen.getByTestId('chain-header')).toContainText(principal);
}

async function openRecent(name: string): Promise<void> {
  await app.go('start');
  await page.getByTestId('recent-cases').getByRole('button', { name: new RegExp(`^${name} `) }).click();
  await expect(page.locator('.case-chip')).toContainText(name);
  await expect(page.locator('.shell')).toHaveAttribute('data-screen', 'findings');
}

/**
 * The lines of the element's text that its visible bottom edge cuts through (part above it, part below), as text: a
 * scroll box whose height is not a whole number of lines shows the top half of its last line.
 */
async function linesCutAtBottom(el: Locator): Promise<string[]> {
  return el.evaluate((node) => {
    const bottom = node.getBoundingClientRect().top + node.clientTop + node.clientHeight;
    const cut: string[] = [];
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = walker.currentNode as Text;
      const range = document.createRange();
      range.selectNodeContents(text);
      for (const r of range.getClientRects()) {
        if (r.height > 0 && r.top < bottom - 0.5 && r.bottom > bottom + 0.5) cut.push(`${text.data.slice(0, 40)}… (${Math.round(bottom - r.top)} of ${Math.round(r.height)} px in view)`);
      }
    }
    return cut;
  });
}

/**
 * Hints beside or under fields, and placeholders, that do not show whole on the current screen: a hint cut by a box
 * that hides what overflows (or by the window), a placeholder wider than its input's text area.
 */
async function cutHints(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cut: string[] = [];
    for (const hint of document.querySelectorAll<HTMLElement>('main .hint')) {
      const r = hint.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.right > window.innerWidth + 0.5 || hint.scrollWidth > hint.clientWidth + 0.5) cut.push(`hint “${hint.textContent}”`);
      for (let box = hint.parentElement; box && box.tagName !== 'MAIN'; box = box.parentElement) {
        if (getComputedStyle(box).overflowX === 'visible') continue;
        const c = box.getBoundingClientRect();
        if (r.left < c.left - 0.5 || r.right > c.right + 0.5 || r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5) cut.push(`hint “${hint.textContent}” in ${box.className}`);
      }
    }
    const canvas = document.createElement('canvas').getContext('2d')!;
    for (const input of document.querySelectorAll<HTMLInputElement>('main input[placeholder]')) {
      if (!input.placeholder || input.getBoundingClientRect().width === 0) continue;
      const style = getComputedStyle(input, '::placeholder');
      canvas.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const box = getComputedStyle(input);
      const room = input.clientWidth - parseFloat(box.paddingLeft) - parseFloat(box.paddingRight);
      const width = canvas.measureText(input.placeholder).width;
      if (width > room + 0.5) cut.push(`placeholder “${input.placeholder}”: ${Math.round(width)} px in ${Math.round(room)}`);
    }
    return cut;
  });
}

test('opens the multi-cloud sample, then the AWS sample', async () => {
  test.setTimeout(240_000);
  await app.openSampleCase('open-sample-globex-multicloud');
  await app.go('start');
  await app.start.openSample.click();
  await expect(app.importer.summary).toHaveAttribute('data-status', 'complete', { timeout: 120_000 });
  await expect(page.locator('nav [data-nav="findings"] .nav-count')).toBeVisible({ timeout: 60_000 });
  await expect(app.jobBar).toHaveCount(0, { timeout: 60_000 });
});

test('AWS timeline: every privileged call shows its category, its name whole, its principal the session', async () => {
  await app.go('findings');
  await app.findings.top.click();
  const list = page.getByTestId('timeline-events');
  await expect(app.timeline.rows.first()).toBeVisible();
  const privileged = list.locator('[data-role="privileged"]');
  expect(await privileged.count()).toBe(6);
  const categories: string[] = [];
  for (const row of await privileged.all()) {
    const name = row.getByTestId('action-name');
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth), `${await name.textContent()} is whole`).toBe(true);
    const category = row.getByTestId('category-tag');
    expect(await painted(category), `the category of ${await name.textContent()} is in view`).toBe(true);
    categories.push(`${await name.textContent()}: ${await category.textContent()}`);
  }
  expect(categories).toEqual(expect.arrayContaining(['CreateAccessKey: Credential minting', 'AttachUserPolicy: Permission escalation']));

  // The role's session tells who: OrganizationAccountAccessRole/maint-0917 keeps its end; the whole ARN is the title.
  const principal = privileged.first().locator('td.principal');
  await expect(principal).toHaveAttribute('title', 'arn:aws:sts::111111111111:assumed-role/OrganizationAccountAccessRole/maint-0917');
  expect(await shownText(principal.getByTestId('principal-name'))).toMatch(/Role\/maint-0917$/);
  await app.screenshot('60-laptop-walk-aws-timeline');
});

test('AWS timeline: the unfolded reasons scroll in a short box, and the events stay in view', async () => {
  const list = page.getByTestId('timeline-events');
  const reasonsBox = page.getByTestId('chain-reasons');
  await expect(reasonsBox).not.toHaveAttribute('open', '');
  await reasonsBox.locator('summary').click();
  const reasons = page.locator('.chain-head .reasons');
  await expect(reasons.locator('li').first()).toBeVisible();
  // Six reasons of this chain are longer than the box: it scrolls, it does not push the table down.
  expect(await reasons.evaluate((el) => el.scrollHeight > el.clientHeight + 10)).toBe(true);
  expect((await reasons.boundingBox())!.height).toBeLessThanOrEqual(130);
  // It ends on a line: the last line in view is whole (its bottom half had been cut off), on taller windows too.
  for (const height of [800, 900, 1080]) {
    await page.setViewportSize({ width: LAPTOP.width, height });
    expect(await linesCutAtBottom(reasons), `at 1280×${height}`).toEqual([]);
  }
  await page.setViewportSize(LAPTOP);
  await reasons.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(reasons.locator('li').last()).toBeInViewport();
  // QA saw six rows (about 200 px) of the nine.
  expect(await rowsInView(list, app.timeline.rows)).toBeGreaterThanOrEqual(8);
  expect((await list.boundingBox())!.height).toBeGreaterThanOrEqual(280);
  await app.screenshot('61-laptop-walk-reasons');
  // Folded again: the choice holds for later chains.
  await reasonsBox.locator('summary').click();
  await expect(reasonsBox).not.toHaveAttribute('open', '');
});

test('explorer: a principal keeps its session; Clear empties a time that could not be read', async () => {
  await app.go('explorer');
  const ex = app.explorer;
  await ex.filter('text').fill('maint-0917');
  await ex.apply.click();
  await expect(ex.total).toHaveText(/^\d+ matching events/);
  await expect(ex.rows.first()).toBeVisible();
  for (const row of (await ex.rows.all()).slice(0, 10)) {
    const cell = row.locator('[role="gridcell"]').nth(2);
    await expect(cell).toHaveAttribute('title', /assumed-role\/OrganizationAccountAccessRole\/maint-0917$/);
    expect(await shownText(cell.getByTestId('principal-name'))).toMatch(/\/maint-0917$/);
  }
  await ex.clear.click();
  await expect(ex.filter('text')).toHaveValue('');
  await expect(ex.total).toHaveText('15,031 matching events');
  await expect(ex.clear).toBeDisabled();

  // Typed, not applied: Clear is there for it.
  await ex.filter('principal').fill('alice');
  await expect(ex.clear).toBeEnabled();
  await ex.clear.click();
  await expect(ex.filter('principal')).toHaveValue('');
  await expect(ex.clear).toBeDisabled();

  // A time that cannot be read is refused, and Clear takes it away with the complaint.
  await ex.filter('from').fill('yesterday');
  await ex.apply.click();
  await expect(page.getByTestId('filter-problems')).toContainText('From: a UTC time such as');
  await expect(ex.clear).toBeEnabled();
  await ex.clear.click();
  await expect(ex.filter('from')).toHaveValue('');
  await expect(page.getByTestId('filter-problems')).toHaveCount(0);
  await expect(ex.total).toHaveText('15,031 matching events');
});

test("explorer: a cross-account caller (CloudTrail's AWSAccount, no name in the log) shows its account as the principal", async () => {
  await app.go('explorer');
  const ex = app.explorer;
  await ex.filter('account').fill('222222222222');
  await ex.filter('action').fill('AssumeRole');
  await ex.apply.click();
  await expect(ex.total).toHaveText(/^\d+ matching events/);
  await expect(ex.rows.first()).toBeVisible();
  const shown: string[] = [];
  for (const row of (await ex.rows.all()).slice(0, 30)) shown.push(await shownText(row.locator('[role="gridcell"]').nth(2).getByTestId('principal-name')));
  expect(shown.filter((p) => p.trim() === ''), 'no AssumeRole row without a principal').toEqual([]);
  expect(shown, 'the account stands for the unnamed cross-account caller').toContain('222222222222');
  await ex.clear.click();
});

test('export: another format keeps the folder and name the analyst chose; a report counts bytes, not rows', async () => {
  await app.go('findings');
  const panel = page.getByTestId('report-export');
  await panel.locator('summary').click();
  const folder = join(bridge.dataDir, 'chosen');
  if (!existsSync(folder)) mkdirSync(folder);
  const out = panel.getByTestId('report-out');
  await out.fill(join(folder, 'report.html'));
  await panel.getByTestId('report-export-button').click();
  const done = panel.getByTestId('report-exported');
  await expect(done).toContainText(join(folder, 'report.html'));
  await expect(done).toHaveText(/\([\d,]+ bytes\)$/);

  await panel.getByTestId('report-format').selectOption('pdf:report');
  await expect(out).toHaveValue(join(folder, 'report.pdf'));
  await expect(done).toHaveCount(0);
  await panel.getByTestId('report-format').selectOption('csv:findings');
  await expect(out).toHaveValue(join(folder, 'report-findings.csv'));
  await panel.getByTestId('report-export-button').click();
  // A list of rows says how many.
  await expect(done).toHaveText(/\([\d,]+ bytes, [\d,]+ rows\)$/);
  // Another CSV export gets its own name: the findings just written are not offered for replacing.
  await panel.getByTestId('report-format').selectOption('csv:evidence');
  await expect(out).toHaveValue(join(folder, 'report-evidence.csv'));
});

test('Azure timeline: each operation start keeps its stage and category beside the same name, and an address stays whole', async () => {
  await openRecent('globex-multicloud');
  for (const who of ['mallory@attacker.example', 'eve@attacker.example']) {
    await openFinding(who);
    const list = page.getByTestId('timeline-events');
    const starts = list.locator('[data-testid="timeline-row"]:has([data-testid="stage-tag"])');
    expect(await starts.count(), who).toBe(2);
    for (const row of await starts.all()) {
      const action = (await row.getByTestId('action-name').textContent()) ?? '';
      expect(await painted(row.getByTestId('stage-tag')), `${action}: "start" in view`).toBe(true);
      expect(await painted(row.getByTestId('category-tag')), `${action}: its category in view`).toBe(true);
      // The name is still readable by its end.
      expect(await shownText(row.getByTestId('action-name'))).toMatch(new RegExp(`${action.split('/').slice(-2).join('/')}$`));
      // The record that ended the operation follows, same name, no stage mark.
      const final = row.locator('xpath=following-sibling::tr[1]');
      await expect(final.getByTestId('action-name')).toHaveText(action);
      await expect(final.getByTestId('stage-tag')).toHaveCount(0);
      expect(await painted(final.getByTestId('category-tag'))).toBe(true);
    }
    // The whole chain is still in view at 1280×800.
    expect(await rowsInView(list, app.timeline.rows)).toBe(await app.timeline.rows.count());
    const principal = list.locator('td.principal').first().getByTestId('principal-name');
    if (who === 'eve@attacker.example') expect(await shownText(principal)).toBe(who);
    else expect(await shownText(principal)).toMatch(/^mallory@attacker\./);
  }
  await app.screenshot('62-laptop-walk-azure-timeline');
});

test('explorer filters belong to their case: another case opens unfiltered', async () => {
  const ex = app.explorer;
  await app.go('explorer');
  await ex.filter('sourceIp').fill('185.220.101.4');
  await ex.apply.click();
  await expect(ex.total).toHaveText('6 matching events');
  // The addresses keep their start: mallory@attacker… in the narrower explorer column.
  expect(await shownText(ex.rows.first().getByTestId('principal-name'))).toMatch(/^mallory@attacker/);

  await openRecent('acme-org');
  await app.go('explorer');
  await expect(ex.total).toHaveText('15,031 matching events');
  await expect(ex.filter('sourceIp')).toHaveValue('');
  await expect(ex.clear).toBeDisabled();
  await app.screenshot('63-laptop-walk-explorer-next-case');
});

test('field hints and placeholders show whole at 1280×800: explorer filters, settings, import, cases', async () => {
  for (const screen of ['explorer', 'settings', 'import', 'start'] as const) {
    await app.go(screen);
    await expect(page.locator('main input, main textarea').first()).toBeVisible();
    expect(await cutHints(page), screen).toEqual([]);
  }
  // The explorer's hints are beside their labels, where they wrap.
  await app.go('explorer');
  await expect(page.getByTestId('explorer-filters').locator('.hint')).toHaveText(['ARN, id, user, role or session', 'address or CIDR', 'its credential, or an Entra sessionId', 'action, principal, agent, IP, id']);
  await app.screenshot('64-laptop-walk-explorer-filters');
});

test('no console errors or warnings', () => {
  expect(consoleErrors).toEqual([]);
});
